import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dim, OnnxModelSpec } from '../../src/formats/index.js';
import type { OnnxModel } from '../../src/runtime/onnx/index.js';
import { onnxBackend } from '../../src/runtime/onnx/index.js';
import { scratchDir, writeModel } from '../support/onnx-model-files.js';
import { tensor } from '../support/sample-tensors.js';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(async () => {
  await scratch.cleanup();
});

/** y = x * 2 over rows of 3 features. */
function doubleSpec(batch: Dim): OnnxModelSpec {
  return {
    inputs: [{ name: 'x', elemType: 'FP32', shape: [batch, 3] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: [batch, 3] }],
    initializers: [{ name: 'two', elemType: 'FP32', dims: [], data: Float32Array.of(2) }],
    nodes: [{ opType: 'Mul', inputs: ['x', 'two'], outputs: ['y'] }],
  };
}

async function load(name: string, spec: OnnxModelSpec): Promise<OnnxModel> {
  return onnxBackend.load({ path: await writeModel(scratch.dir, name, spec), threads: 1, options: {} });
}

describe('batch dimension', () => {
  it.each([
    ['an unnamed -1', -1],
    ['a symbolic name', 'batch'],
  ] as const)('%s leading dim is batchable and runs batches of 1 and 5', async (_, batch) => {
    const model = await load(`double-${String(batch)}.onnx`, doubleSpec(batch));
    try {
      expect(model.info()).toMatchObject({ batchable: true, inputs: [{ shape: [-1, 3] }] });
      for (const rows of [1, 5]) {
        const x = Float32Array.from({ length: rows * 3 }, (_, i) => i);
        const { outputs } = await model.infer({ inputs: [tensor('x', 'FP32', [rows, 3], x)] });
        expect(outputs[0]?.shape).toEqual([rows, 3]);
        expect(Array.from(outputs[0]?.data as Float32Array)).toEqual(Array.from(x, (v) => v * 2));
      }
    } finally {
      await model.unload();
    }
  });

  it('a fixed leading dim is not batchable', async () => {
    const model = await load('double-fixed.onnx', doubleSpec(4));
    expect(model.info()).toMatchObject({ batchable: false, inputs: [{ shape: [4, 3] }] });
    await model.unload();
  });

  it('a dynamic dim that is not the leading one is not batchable', async () => {
    const spec: OnnxModelSpec = {
      inputs: [{ name: 'x', elemType: 'FP32', shape: [2, 'n'] }],
      outputs: [{ name: 'y', elemType: 'FP32', shape: [2, 'n'] }],
      nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
    };
    const model = await load('trailing-dynamic.onnx', spec);
    expect(model.info()).toMatchObject({ batchable: false, inputs: [{ shape: [2, -1] }] });
    await model.unload();
  });

  it('outputs stay readable after the model is unloaded', async () => {
    const model = await load('double-after-unload.onnx', doubleSpec('batch'));
    const x = Float32Array.of(1, 2, 3);
    const { outputs } = await model.infer({ inputs: [tensor('x', 'FP32', [1, 3], x)] });
    await model.unload();
    expect(Array.from(outputs[0]?.data as Float32Array)).toEqual([2, 4, 6]);
  });
});
