import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxModel } from '../../src/runtime/onnx/index.js';
import { onnxBackend } from '../../src/runtime/onnx/index.js';
import type { Tensor } from '../../src/wire/tensor.js';
import { expectAppError } from '../support/expect-app-error.js';
import { addSpec, identitySpec, scratchDir, writeModel } from '../support/onnx-model-files.js';
import { tensor } from '../support/sample-tensors.js';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let add: OnnxModel;
beforeAll(async () => {
  scratch = await scratchDir();
  // a, b: FP32 ['batch', 3] → sum, diff.
  const file = await writeModel(scratch.dir, 'add.onnx', addSpec('FP32', ['batch', 3]));
  add = await onnxBackend.load({ path: file, threads: 1, options: {} });
});
afterAll(async () => {
  await add.unload();
  await scratch.cleanup();
});

const rows = (name: string, n: number, cols = 3): Tensor =>
  tensor(name, 'FP32', [n, cols], new Float32Array(n * cols).fill(1));

function rejects(inputs: Tensor[], message: RegExp, outputs?: string[]) {
  return expectAppError(add.infer(outputs ? { inputs, outputs } : { inputs }), 'invalid_tensor', message);
}

describe('requests that do not match the model are refused with 400 before onnxruntime runs', () => {
  it('an unknown input name, listing the expected ones', async () => {
    const err = await rejects([rows('a', 1), rows('c', 1)], /unknown input 'c'; the model expects 'a', 'b'/);
    expect(err.status).toBe(400);
  });

  it('a missing input', async () => {
    await rejects([rows('a', 1)], /missing input 'b'/);
  });

  it('an input given twice', async () => {
    await rejects([rows('a', 1), rows('a', 1), rows('b', 1)], /'a' is given twice/);
  });

  it('a wrong datatype', async () => {
    const wrong = tensor('b', 'INT64', [1, 3], new BigInt64Array(3));
    await rejects([rows('a', 1), wrong], /^input b is FP32, got INT64$/);
  });

  it('a wrong rank', async () => {
    const flat = tensor('a', 'FP32', [3], new Float32Array(3));
    await rejects([flat, rows('b', 1)], /input a has rank 2 \(shape \[-1,3\]\), got shape \[3\]/);
  });

  it('a wrong fixed dimension, while -1 takes any size', async () => {
    await rejects([rows('a', 2, 4), rows('b', 2, 4)], /input a dimension 1 must be 3/);
    const ok = await add.infer({ inputs: [rows('a', 7), rows('b', 7)] });
    expect(ok.outputs[0]?.shape).toEqual([7, 3]);
  });

  it('data that does not fill the shape, or is stored as another type', async () => {
    await rejects(
      [tensor('a', 'FP32', [2, 3], new Float32Array(5)), rows('b', 2)],
      /\(6 elements\) but 5 values/,
    );
    await rejects([tensor('a', 'FP32', [1, 3], new Float64Array(3) as never), rows('b', 1)], /Float64Array/);
    await rejects([tensor('a', 'FP32', [1.5, 3], new Float32Array(3)), rows('b', 1)], /invalid shape/);
  });

  it('an unknown or repeated requested output', async () => {
    const inputs = [rows('a', 1), rows('b', 1)];
    await rejects(inputs, /unknown output 'product'; the model has 'sum', 'diff'/, ['product']);
    await rejects(inputs, /'sum' is requested twice/, ['sum', 'sum']);
  });

  it('sizes that pass the declaration but clash inside the graph', async () => {
    // Both inputs are ['batch', 3]; feeding 2 and 3 rows only fails when Add broadcasts.
    const err = await rejects([rows('a', 2), rows('b', 3)], /the model rejected the input: .*broadcast/);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('an index out of range, even when every shape is fixed', async () => {
    const file = await writeModel(scratch.dir, 'gather.onnx', {
      inputs: [{ name: 'i', elemType: 'INT64', shape: [1] }],
      outputs: [{ name: 'v', elemType: 'FP32', shape: [1] }],
      initializers: [{ name: 'table', elemType: 'FP32', dims: [3], data: Float32Array.of(10, 20, 30) }],
      nodes: [{ opType: 'Gather', inputs: ['table', 'i'], outputs: ['v'] }],
    });
    const gather = await onnxBackend.load({ path: file, threads: 1, options: {} });
    try {
      const at = (i: bigint) => ({ inputs: [tensor('i', 'INT64', [1], BigInt64Array.of(i))] });
      expect(Array.from((await gather.infer(at(2n))).outputs[0]?.data as Float32Array)).toEqual([30]);
      await expectAppError(gather.infer(at(5n)), 'invalid_tensor', /the model rejected the input: .*out of/);
    } finally {
      await gather.unload();
    }
  });
});

describe('values the datatype cannot hold', () => {
  let model: OnnxModel;
  beforeAll(async () => {
    const file = await writeModel(scratch.dir, 'strings.onnx', identitySpec('BYTES', [2]));
    model = await onnxBackend.load({ path: file, threads: 1, options: {} });
  });
  afterAll(() => model.unload());

  it('BYTES that are not UTF-8 (onnxruntime-node carries strings)', async () => {
    const bytes = [Uint8Array.of(0x68, 0x69), Uint8Array.of(0xff, 0xfe)];
    await expectAppError(
      model.infer({ inputs: [tensor('x', 'BYTES', [2], bytes)] }),
      'invalid_tensor',
      /element 1 is not valid UTF-8/,
    );
  });

  it('BOOL bytes other than 0 and 1', async () => {
    const file = await writeModel(scratch.dir, 'bools.onnx', identitySpec('BOOL', [2]));
    const bools = await onnxBackend.load({ path: file, threads: 1, options: {} });
    await expectAppError(
      bools.infer({ inputs: [tensor('x', 'BOOL', [2], Uint8Array.of(1, 2))] }),
      'invalid_tensor',
      /may only hold 0 or 1/,
    );
    await bools.unload();
  });
});

describe('after unload', () => {
  it('infer answers model_not_ready (503) and unload is idempotent', async () => {
    const file = await writeModel(scratch.dir, 'short-lived.onnx', identitySpec('FP32', [1]));
    const model = await onnxBackend.load({ path: file, threads: 1, options: {} });
    const pending = model.infer({ inputs: [tensor('x', 'FP32', [1], Float32Array.of(4))] });
    await model.unload();
    // A run started before unload still completes: release waits for it.
    expect(Array.from((await pending).outputs[0]?.data as Float32Array)).toEqual([4]);
    const err = await expectAppError(model.infer({ inputs: [] }), 'model_not_ready', /unloaded/);
    expect(err.status).toBe(503);
    await model.unload();
  });
});
