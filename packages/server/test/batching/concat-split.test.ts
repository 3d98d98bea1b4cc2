import { describe, expect, it } from 'vitest';
import { concatRows, splitRows } from '../../src/runtime/batching/index.js';
import { datatypes, type Tensor, type TensorData } from '../../src/wire/tensor.js';
import { samples, tensor } from '../support/batch-tensors.js';

function rowsOf(data: TensorData, from: number, to: number): TensorData {
  return data.slice(from * 2, to * 2) as TensorData;
}

describe('concatRows / splitRows', () => {
  it.each(datatypes)('round-trips %s through concat and split', (datatype) => {
    const all = samples[datatype];
    const parts: Tensor[] = [
      tensor('t', datatype, [1, 2], rowsOf(all, 0, 1) as never),
      tensor('t', datatype, [0, 2], rowsOf(all, 1, 1) as never),
      tensor('t', datatype, [2, 2], rowsOf(all, 1, 3) as never),
    ];
    const merged = concatRows(parts);
    expect(merged).toEqual({ name: 't', datatype, shape: [3, 2], data: all });
    expect(merged.data.constructor).toBe(all.constructor);
    expect(splitRows(merged, [1, 0, 2])).toEqual(parts);
  });

  it('reads typed arrays that are views at an offset into a larger buffer', () => {
    const body = new Float32Array([9, 1, 2, 3, 4, 9]);
    const view = new Float32Array(body.buffer, 4, 4);
    const merged = concatRows([
      tensor('x', 'FP32', [1, 4], view),
      tensor('x', 'FP32', [1, 4], Float32Array.of(5, 6, 7, 8)),
    ]);
    expect(merged.data).toEqual(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8));
  });

  it("cuts outputs into views of the run's buffer, without copying rows", () => {
    const merged = tensor('x', 'INT32', [3, 1], Int32Array.of(1, 2, 3));
    const [first, rest] = splitRows(merged, [1, 2]);
    expect(rest?.data).toEqual(Int32Array.of(2, 3));
    expect((rest as { data: Int32Array }).data.buffer).toBe((merged.data as Int32Array).buffer);
    expect(first?.data).toEqual(Int32Array.of(1));
  });

  it('refuses tensors whose datatype or non-batch dimensions differ', () => {
    const a = tensor('x', 'FP32', [1, 2], Float32Array.of(1, 2));
    expect(() => concatRows([a, tensor('x', 'FP32', [1, 1], Float32Array.of(1))])).toThrow(/differ/);
    expect(() => concatRows([a, tensor('x', 'FP64', [1, 2], Float64Array.of(1, 2))])).toThrow(/differ/);
    expect(() => concatRows([])).toThrow();
  });

  it('refuses a split whose row counts do not add up to the leading dimension', () => {
    const t = tensor('x', 'FP32', [2, 1], Float32Array.of(1, 2));
    expect(() => splitRows(t, [1])).toThrow(/into 1 rows/);
  });
});
