import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkParity, exportToOnnx, type OnnxExportOptions } from '../../src/trainer/export/index.js';
import { mulberry32 } from '../../src/training/index.js';

export { tf, tfl };

/** The reference backend for parity: plain JS arithmetic in float32. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * Replaces every weight with seeded values (Glorot-uniform for kernels, small for biases), so a
 * test's model is the same on every run without training it.
 */
export function seedWeights(model: tfl.LayersModel, seed: number): void {
  const random = mulberry32(seed);
  for (const layer of model.layers) {
    const weights = layer.getWeights().map((w) => {
      const fanOut = w.shape[w.shape.length - 1] ?? 1;
      const fanIn = w.size / fanOut;
      const limit = w.rank === 1 ? 0.2 : Math.sqrt(6 / (fanIn + fanOut));
      return tf.tensor(
        Float32Array.from({ length: w.size }, () => (random() * 2 - 1) * limit),
        w.shape,
      );
    });
    if (weights.length > 0) layer.setWeights(weights);
    for (const w of weights) w.dispose();
  }
}

/** Seeded values uniform in [low, high). */
export function seededValues(count: number, seed: number, low = -1, high = 1): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: count }, () => low + random() * (high - low));
}

/** `model.predict` on one batch, as flat float32 values. */
export function predictValues(model: tfl.LayersModel, inputs: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => {
    const out = model.predict(tf.tensor(inputs, shape)) as tf.Tensor;
    return Float32Array.from(out.dataSync());
  });
}

/** [n, h, w, c] values (tfjs's layout) → [n, c, h, w] (the exported image input's default). */
export function nhwcToNchw(values: Float32Array, [n, h, w, c]: readonly number[]): Float32Array {
  const [N = 0, H = 0, W = 0, C = 0] = [n, h, w, c];
  const out = new Float32Array(values.length);
  for (let b = 0; b < N; b++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let k = 0; k < C; k++)
          out[((b * C + k) * H + y) * W + x] = values[((b * H + y) * W + x) * C + k] ?? 0;
  return out;
}

/**
 * Exports `model`, runs the file in onnxruntime on `inputs` (tfjs layout, converted to NCHW for an
 * image model unless the options say NHWC) and checks it against `model.predict` within `tolerance`.
 */
export async function exportAndCompare(
  model: tfl.LayersModel,
  inputs: Float32Array,
  shape: number[],
  options: OnnxExportOptions = {},
  tolerance = 1e-4,
) {
  const onnx = exportToOnnx(model, options);
  const expected = predictValues(model, inputs, shape);
  // A model whose outputs are all equal (dead units) would agree with anything.
  if (expected.every((v) => v === expected[0])) throw new Error(`model.predict gave only ${expected[0]}`);
  const nchw = shape.length === 4 && (options.imageLayout ?? 'NCHW') === 'NCHW';
  const [n = 0, h = 0, w = 0, c = 0] = shape;
  const fed = nchw ? nhwcToNchw(inputs, shape) : inputs;
  const fedShape = nchw ? [n, c, h, w] : shape;
  const parity = await checkParity(onnx, fed, fedShape, expected, tolerance);
  return { onnx, expected, parity };
}
