import { beforeAll, describe, expect, it } from 'vitest';
import { checkParity, exportToOnnx } from '../src/trainer/export/index.js';
import { mulberry32 } from '../src/training/index.js';
import { decodeModel } from './support/decode-onnx-model.js';
import { expectAppErrorSync } from './support/expect-app-error.js';
import {
  nhwcToNchw,
  predictValues,
  seededValues,
  seedWeights,
  tfl,
  useCpuBackend,
} from './support/tfjs-models.js';

beforeAll(useCpuBackend);

const log1p = [true, false, true, false, true];
const mean = [1.5, -2, 0.7, 10, 0];
const std = [0.8, 3, 1.2, 5, 1];

/** Raw rows as a tabular request sends them: skewed counts, signed values, a large-scale column. */
function rawRows(count: number): Float32Array {
  const random = mulberry32(41);
  const row = () => [random() * 50, random() * 8 - 4, random() ** 3 * 200, 10 + random() * 20, random()];
  return Float32Array.from(Array.from({ length: count }, row).flat());
}

/** The same arithmetic as the folded graph, in JS, before `model.predict`. */
function preprocess(raw: Float32Array): Float32Array {
  return raw.map((x, i) => {
    const f = i % log1p.length;
    const logged = log1p[f] ? Math.log1p(x) : x;
    return (logged - (mean[f] ?? 0)) / (std[f] ?? 1);
  });
}

function tableModel(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ inputShape: [5], units: 8, activation: 'relu' }));
  model.add(tfl.layers.dense({ units: 3, activation: 'softmax' }));
  seedWeights(model, 42);
  return model;
}

describe('preprocessing folded into the exported graph', () => {
  it('log1p on some features, then standardise: raw rows give what predict gives on JS-preprocessed rows', async () => {
    const model = tableModel();
    const raw = rawRows(20);
    const expected = predictValues(model, preprocess(raw), [20, 5]);
    const onnx = exportToOnnx(model, { preprocessing: { features: { log1p, mean, std } } });
    const parity = await checkParity(onnx, raw, [20, 5], expected);
    expect(parity.ok).toBe(true);
    // Without the folding the same raw rows give something else: the check above can fail.
    await expect(checkParity(exportToOnnx(model), raw, [20, 5], expected)).rejects.toThrow(
      /max \|difference\|/,
    );
    const { model: proto } = decodeModel(onnx);
    const stored = proto.metadataProps.find((p) => p.key === 'modelport.preprocessing')?.value;
    expect(JSON.parse(stored ?? '{}')).toEqual({ features: { log1p, mean, std } });
  });

  it('standardising alone, and log1p alone', async () => {
    const model = tableModel();
    const raw = rawRows(6);
    const onlyStd = raw.map((x, i) => (x - (mean[i % 5] ?? 0)) / (std[i % 5] ?? 1));
    const expectedStd = predictValues(model, onlyStd, [6, 5]);
    const std1 = exportToOnnx(model, { preprocessing: { features: { mean, std } } });
    expect((await checkParity(std1, raw, [6, 5], expectedStd)).ok).toBe(true);
    const onlyLog = raw.map((x, i) => (log1p[i % 5] ? Math.log1p(x) : x));
    const expectedLog = predictValues(model, onlyLog, [6, 5]);
    const log = exportToOnnx(model, { preprocessing: { features: { log1p } } });
    expect((await checkParity(log, raw, [6, 5], expectedLog)).ok).toBe(true);
  });

  it('image scale, mean and std per channel: raw 0–255 pixels in', async () => {
    const model = tfl.sequential();
    model.add(tfl.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu' }));
    model.add(tfl.layers.flatten());
    model.add(tfl.layers.dense({ units: 2, activation: 'softmax' }));
    seedWeights(model, 43);
    const image = { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
    const pixels = seededValues(2 * 8 * 8 * 3, 44, 0, 255).map(Math.round);
    const normalised = pixels.map(
      (p, i) => (p * image.scale - (image.mean[i % 3] ?? 0)) / (image.std[i % 3] ?? 1),
    );
    const expected = predictValues(model, normalised, [2, 8, 8, 3]);
    for (const imageLayout of ['NCHW', 'NHWC'] as const) {
      const onnx = exportToOnnx(model, { preprocessing: { image }, imageLayout });
      const fed = imageLayout === 'NCHW' ? nhwcToNchw(pixels, [2, 8, 8, 3]) : pixels;
      const shape = imageLayout === 'NCHW' ? [2, 3, 8, 8] : [2, 8, 8, 3];
      expect((await checkParity(onnx, fed, shape, expected)).ok).toBe(true);
    }
    // One mean and std for every channel.
    const gray = { scale: 2, mean: [100], std: [50] };
    const expectedGray = predictValues(
      model,
      pixels.map((p) => (p * 2 - 100) / 50),
      [2, 8, 8, 3],
    );
    const onnx = exportToOnnx(model, { preprocessing: { image: gray }, imageLayout: 'NHWC' });
    expect((await checkParity(onnx, pixels, [2, 8, 8, 3], expectedGray)).ok).toBe(true);
  });

  it('refuses preprocessing that does not fit the model', () => {
    const model = tableModel();
    const refuse = (features: object, message: RegExp) =>
      expectAppErrorSync(
        () => exportToOnnx(model, { preprocessing: { features } }),
        'validation_failed',
        message,
      );
    refuse({ mean: [1, 2] }, /preprocessing\.features\.mean: 2 values for 5 inputs/);
    refuse({ log1p: [true] }, /preprocessing\.features\.log1p: 1 values for 5 inputs/);
    refuse({ std: [1, 1, 0, 1, 1] }, /preprocessing\.features\.std: every value must be a positive/);
    expectAppErrorSync(
      () => exportToOnnx(model, { preprocessing: { image: { scale: 1 / 255 } } }),
      'validation_failed',
      /takes rows of features, not images/,
    );
  });
});
