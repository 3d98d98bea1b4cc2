import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { trainIrisDemo } from '../../src/training/index.js';
import type { InferRequest, InferResponse, ModelInfo } from '../../src/wire/index.js';
import { type CapabilityCase, describeConformance } from './conformance.js';

const irisRow = (data: number[], shape = [1, 4], name = 'features'): InferRequest => ({
  inputs: [{ name, datatype: 'FP32', shape, data: Float32Array.from(data) }],
});

function tensorInfo(info: unknown): void {
  const model = info as ModelInfo;
  expect(model.inputs.length).toBeGreaterThan(0);
  expect(model.outputs.length).toBeGreaterThan(0);
  expect(typeof model.platform).toBe('string');
  expect(typeof model.batchable).toBe('boolean');
}

let dir: string;

const irisTensors: CapabilityCase = {
  good: (m, o) => m.infer(irisRow([5.1, 3.5, 1.4, 0.2]), o),
  check(answer) {
    const probabilities = (answer as InferResponse).outputs[0]?.data as Float32Array;
    expect(probabilities).toHaveLength(3);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // A setosa: the first class wins.
    expect(probabilities.indexOf(Math.max(...probabilities))).toBe(0);
  },
  bad: (m, o) => m.infer(irisRow([1, 2, 3], [1, 3]), o),
  badCode: 'invalid_tensor',
};

describeConformance({
  backend: 'onnx',
  async load() {
    dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-conformance-'));
    const file = path.join(dir, 'iris.onnx');
    await writeFile(file, trainIrisDemo().onnx);
    return { options: { path: file, threads: 1, options: {} } };
  },
  capabilities: ['tensors'],
  checkInfo(info) {
    tensorInfo(info);
    expect(info).toMatchObject({ platform: 'onnx_onnxv1', batchable: true });
  },
  cases: { tensors: irisTensors },
  cleanup: async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  },
});

describeConformance({
  backend: 'fake',
  load: async () => ({ options: { path: '/unused', threads: 1, options: { op: 'double' } } }),
  capabilities: ['tensors'],
  checkInfo(info) {
    tensorInfo(info);
    expect(info).toMatchObject({ platform: 'fake', batchable: true });
  },
  cases: {
    tensors: {
      good: (m, o) => m.infer(irisRow([1, 2, 3, 4], [1, 4], 'x'), o),
      check(answer) {
        expect(Array.from((answer as InferResponse).outputs[0]?.data as Float32Array)).toEqual([2, 4, 6, 8]);
      },
      bad: (m, o) => m.infer({ ...irisRow([1, 2, 3, 4], [1, 4], 'x'), outputs: ['nope'] }, o),
      badCode: 'invalid_tensor',
    },
  },
});
