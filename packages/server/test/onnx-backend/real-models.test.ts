import { readFile } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxModel } from '../../src/runtime/onnx/index.js';
import { onnxBackend, readModelInfo } from '../../src/runtime/onnx/index.js';
import type { InferRequest } from '../../src/wire/tensor.js';
import { fromHalfBits, toHalfBits } from '../support/half-float.js';
import { decodePng } from '../support/png-decode.js';
import { sharedModelFiles } from '../support/shared-models.js';

const argmax = (values: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) > (values[best] ?? 0)) best = i;
  return best;
};

/** Median wall time of one warm inference, in milliseconds. */
async function medianMs(model: OnnxModel, request: InferRequest, runs = 20): Promise<number> {
  for (let i = 0; i < 3; i++) await model.infer(request);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await model.infer(request);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? Number.NaN;
}

const mnist = sharedModelFiles(['mnist/mnist.onnx', 'mnist/mnist_28.png']);

describe.skipIf(mnist.skip)('MNIST (shared/models/mnist) on 1 thread', () => {
  const [modelFile = '', imageFile = ''] = mnist.paths;
  let model: OnnxModel;
  beforeAll(async () => {
    model = await onnxBackend.load({ path: modelFile, threads: 1, options: {} });
  });
  afterAll(() => model?.unload());

  it('declares Input3 [1,1,28,28] → Plus214_Output_0 [1,10], the same as the file says', async () => {
    const info = model.info();
    expect(info).toEqual({
      platform: 'onnx_onnxv1',
      inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28] }],
      outputs: [{ name: 'Plus214_Output_0', datatype: 'FP32', shape: [1, 10] }],
      batchable: false,
    });
    // The fallback for bindings without metadata reads the file and must agree.
    expect(await readModelInfo({} as InferenceSession, modelFile)).toEqual(info);
  });

  it('reads the handwritten 8', async () => {
    const image = decodePng(await readFile(imageFile));
    expect(image).toMatchObject({ width: 28, height: 28, channels: 1 });
    const request = {
      inputs: [
        { name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Float32Array.from(image.pixels) },
      ],
    } satisfies InferRequest;
    const { outputs } = await model.infer(request);
    expect(outputs[0]?.shape).toEqual([1, 10]);
    expect(argmax(outputs[0]?.data as Float32Array)).toBe(8);
    console.log(`MNIST inference, 1 thread: ${(await medianMs(model, request)).toFixed(3)} ms (median)`);
  });
});

const squeezenet = sharedModelFiles([
  'squeezenet1.0-fp16/SqueezeNet_fp16.onnx',
  'squeezenet1.0-fp16/kitten_224.png',
  'squeezenet1.0-fp16/labels.txt',
]);

/** NCHW BGR planes of raw 0–255 values as half bits, the layout this Caffe2-born model wants. */
function bgrHalfPlanes(png: Uint8Array): Uint16Array {
  const { width, height, channels, pixels } = decodePng(png);
  const plane = width * height;
  const out = new Uint16Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) out[(2 - c) * plane + p] = toHalfBits(pixels[p * channels + c] ?? 0);
  }
  return out;
}

describe.skipIf(squeezenet.skip)('SqueezeNet 1.0 FP16 (shared/models/squeezenet1.0-fp16) on 1 thread', () => {
  const [modelFile = '', imageFile = '', labelsFile = ''] = squeezenet.paths;
  let model: OnnxModel;
  beforeAll(async () => {
    model = await onnxBackend.load({ path: modelFile, threads: 1, options: {} });
  });
  afterAll(() => model?.unload());

  it('declares FP16 data_0 [1,3,224,224] → softmaxout_1 [1,1000,1,1]', () => {
    expect(model.info()).toEqual({
      platform: 'onnx_onnxv1',
      inputs: [{ name: 'data_0', datatype: 'FP16', shape: [1, 3, 224, 224] }],
      outputs: [{ name: 'softmaxout_1', datatype: 'FP16', shape: [1, 1000, 1, 1] }],
      batchable: false,
    });
  });

  it('calls the kitten a tabby', async () => {
    const data = bgrHalfPlanes(await readFile(imageFile));
    const request = {
      inputs: [{ name: 'data_0', datatype: 'FP16', shape: [1, 3, 224, 224], data }],
    } satisfies InferRequest;
    const { outputs } = await model.infer(request);
    const [out] = outputs;
    expect(out).toMatchObject({ datatype: 'FP16', shape: [1, 1000, 1, 1] });
    expect(out?.data).toBeInstanceOf(Uint16Array);
    const probabilities = Array.from(out?.data as Uint16Array, fromHalfBits);
    expect(probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 1);
    const top = argmax(probabilities);
    const labels = (await readFile(labelsFile, 'utf8')).split('\n');
    expect(labels[top]).toMatch(new RegExp(`^${top},.*tabby`));
    expect(probabilities[top]).toBeGreaterThan(0.5);
    console.log(`SqueezeNet inference, 1 thread: ${(await medianMs(model, request)).toFixed(2)} ms (median)`);
  });
});

describe('half-float helpers', () => {
  it('round-trip exact values and round to nearest even', () => {
    for (const v of [0, 1, -2, 0.5, 255, 65504, 2 ** -24, -(2 ** -14)])
      expect(fromHalfBits(toHalfBits(v))).toBe(v);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalfBits(1e6)).toBe(0x7c00);
  });
});
