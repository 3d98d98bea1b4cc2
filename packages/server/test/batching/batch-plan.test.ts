import { describe, expect, it } from 'vitest';
import { type PlanSettings, planBatch, type Waiting } from '../../src/runtime/batching/batch-plan.js';
import { batchShapeOf } from '../../src/runtime/batching/index.js';
import { rowsRequest, tensor } from '../support/batch-tensors.js';

const settings = (over: Partial<PlanSettings> = {}): PlanSettings => ({
  maxBatchSize: 8,
  maxQueueDelayMs: 10,
  preferredBatchSizes: new Set(),
  merging: true,
  ...over,
});

const waiting = (rows: number, key = 'a', enqueuedAt = 0): Waiting => ({ shape: { rows, key }, enqueuedAt });

describe('planBatch', () => {
  it('waits for the oldest request’s delay, then sends what it has', () => {
    const queue = [waiting(1, 'a', 100), waiting(2, 'a', 104)];
    expect(planBatch(queue, settings(), 103)).toEqual({ waitMs: 7 });
    expect(planBatch(queue, settings(), 110)).toEqual({ take: 2 });
    expect(planBatch([], settings(), 0)).toBeUndefined();
  });

  it('sends at once when full, when the next request does not fit, or is incompatible', () => {
    expect(planBatch([waiting(4), waiting(4), waiting(1)], settings(), 0)).toEqual({ take: 2 });
    expect(planBatch([waiting(4), waiting(5)], settings(), 0)).toEqual({ take: 1 });
    expect(planBatch([waiting(1), waiting(1, 'b'), waiting(1)], settings(), 0)).toEqual({ take: 1 });
    expect(planBatch([{ shape: undefined, enqueuedAt: 0 }, waiting(1)], settings(), 0)).toEqual({ take: 1 });
  });

  it('sends the largest preferred size it can form', () => {
    const queue = [waiting(1), waiting(1), waiting(1), waiting(1), waiting(1)];
    expect(planBatch(queue, settings({ preferredBatchSizes: new Set([2, 4]) }), 0)).toEqual({ take: 4 });
  });

  it('sends one request at a time without merging', () => {
    expect(planBatch([waiting(1), waiting(1)], settings({ merging: false }), 0)).toEqual({ take: 1 });
  });
});

describe('batchShapeOf', () => {
  it('keys on input names, datatypes, non-batch dims and outputs, not input order', () => {
    const two = (order: 'xz' | 'zx') => {
      const x = tensor('x', 'FP32', [2, 1], Float32Array.of(1, 2));
      const z = tensor('z', 'INT8', [2], Int8Array.of(1, 2));
      return { inputs: order === 'xz' ? [x, z] : [z, x] };
    };
    expect(batchShapeOf(two('xz'))).toEqual(batchShapeOf(two('zx')));
    expect(batchShapeOf(two('xz'))?.rows).toBe(2);
    expect(batchShapeOf(rowsRequest(1, 1))?.key).toBe(batchShapeOf(rowsRequest(9, 3))?.key);
    expect(batchShapeOf(rowsRequest(1))?.key).not.toBe(
      batchShapeOf({ ...rowsRequest(1), outputs: ['y'] })?.key,
    );
  });

  it('refuses requests that cannot be stacked safely', () => {
    const x = tensor('x', 'FP32', [2, 1], Float32Array.of(1, 2));
    expect(batchShapeOf({ inputs: [] })).toBeUndefined();
    expect(batchShapeOf({ inputs: [tensor('x', 'FP32', [], Float32Array.of(1))] })).toBeUndefined();
    expect(batchShapeOf({ inputs: [tensor('x', 'FP32', [2, 2], Float32Array.of(1))] })).toBeUndefined();
    expect(batchShapeOf({ inputs: [x, tensor('z', 'FP32', [3], Float32Array.of(1, 2, 3))] })).toBeUndefined();
    expect(batchShapeOf({ inputs: [x, x] })).toBeUndefined();
  });
});
