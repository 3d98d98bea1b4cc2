import { describe, expect, it } from 'vitest';
import { outputValues, rowsRequest, tensor } from '../support/batch-tensors.js';
import { batcherFor, batchSizes, fakeModel } from '../support/batching-fixtures.js';

describe('DynamicBatcher merging', () => {
  it('merges concurrent single-row requests and gives each caller its own rows', async () => {
    const model = await fakeModel({ op: 'add1', delayMs: 20 });
    const batcher = batcherFor(model, { maxBatchSize: 8, maxQueueDelayMs: 20 });
    const values = [0, 10, 20, 30, 40, 50, 60, 70];
    const results = await Promise.all(values.map((v) => batcher.submit(rowsRequest(v))));
    const sizes = batchSizes(model);
    expect(sizes.length).toBeLessThanOrEqual(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(8);
    results.forEach((result, i) => {
      const v = values[i] ?? Number.NaN;
      expect(outputValues(result)).toEqual([v + 1, v + 2, v + 3, v + 4]);
      expect(result.outputs[0]?.shape).toEqual([1, 4]);
    });
    expect(results.map((r) => r.batchSize).reduce((a, b) => Math.max(a, b))).toBeGreaterThan(1);
  });

  it('splits multi-row requests back by their own row counts', async () => {
    const model = await fakeModel({ op: 'double' });
    const batcher = batcherFor(model, { maxBatchSize: 8, maxQueueDelayMs: 20 });
    const [a, b] = await Promise.all([
      batcher.submit(rowsRequest(1, 3, 2)),
      batcher.submit(rowsRequest(100, 2, 2)),
    ]);
    expect(batchSizes(model)).toEqual([5]);
    expect(a?.outputs[0]?.shape).toEqual([3, 2]);
    expect(a && outputValues(a)).toEqual([2, 4, 2, 4, 2, 4]);
    expect(b && outputValues(b)).toEqual([200, 202, 200, 202]);
    expect(a?.batchSize).toBe(5);
  });

  it('never merges requests whose non-batch dimensions differ', async () => {
    const model = await fakeModel();
    const batcher = batcherFor(model);
    await Promise.all([
      batcher.submit(rowsRequest(1, 1, 4)),
      batcher.submit(rowsRequest(2, 1, 4)),
      batcher.submit(rowsRequest(3, 1, 3)),
      batcher.submit(rowsRequest(4, 1, 3)),
    ]);
    expect(batchSizes(model)).toEqual([2, 2]);
    expect(model.calls.map((c) => c.inputs[0]?.shape)).toEqual([
      [2, 4],
      [2, 3],
    ]);
  });

  it('never merges requests whose datatypes differ', async () => {
    const model = await fakeModel();
    const batcher = batcherFor(model);
    const asInt = { inputs: [tensor('x', 'INT32', [1, 4], Int32Array.of(1, 2, 3, 4))] };
    const results = await Promise.all([
      batcher.submit(rowsRequest(1)),
      batcher.submit(asInt),
      batcher.submit(rowsRequest(2)),
    ]);
    expect(batchSizes(model)).toEqual([1, 1, 1]);
    expect(model.calls.map((c) => c.inputs[0]?.datatype)).toEqual(['FP32', 'INT32', 'FP32']);
    expect(results[1]?.outputs[0]?.data).toEqual(Int32Array.of(1, 2, 3, 4));
  });

  it('never merges requests asking for different outputs', async () => {
    const model = await fakeModel({
      outputs: [
        { name: 'y', datatype: 'FP32', shape: [-1, 4] },
        { name: 'z', datatype: 'FP32', shape: [-1, 4] },
      ],
    });
    const batcher = batcherFor(model);
    const [onlyY, both] = await Promise.all([
      batcher.submit({ ...rowsRequest(1), outputs: ['y'] }),
      batcher.submit(rowsRequest(2)),
    ]);
    expect(batchSizes(model)).toEqual([1, 1]);
    expect(onlyY?.outputs.map((o) => o.name)).toEqual(['y']);
    expect(both?.outputs.map((o) => o.name)).toEqual(['y', 'z']);
  });

  it('merges BYTES inputs', async () => {
    const model = await fakeModel({
      inputs: [{ name: 's', datatype: 'BYTES', shape: [-1] }],
      outputs: [{ name: 'echo', datatype: 'BYTES', shape: [-1] }],
    });
    const batcher = batcherFor(model);
    const words = (...w: string[]) => w.map((s) => new TextEncoder().encode(s));
    const [a, b] = await Promise.all([
      batcher.submit({ inputs: [tensor('s', 'BYTES', [2], words('a', 'bc'))] }),
      batcher.submit({ inputs: [tensor('s', 'BYTES', [1], words('日本'))] }),
    ]);
    expect(batchSizes(model)).toEqual([3]);
    expect(a?.outputs[0]?.data).toEqual(words('a', 'bc'));
    expect(b?.outputs[0]).toMatchObject({ name: 'echo', shape: [1], data: words('日本') });
  });

  it('runs a request larger than maxBatchSize alone', async () => {
    const model = await fakeModel();
    const batcher = batcherFor(model, { maxBatchSize: 2 });
    const big = batcher.submit(rowsRequest(1, 5));
    const small = [batcher.submit(rowsRequest(2)), batcher.submit(rowsRequest(3))];
    expect((await big).outputs[0]?.shape).toEqual([5, 4]);
    await Promise.all(small);
    expect(batchSizes(model)).toEqual([5, 2]);
  });

  it('runs every request alone on a model that does not batch', async () => {
    const model = await fakeModel({
      inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 4] }],
      op: 'add1',
    });
    expect(model.info().batchable).toBe(false);
    const batcher = batcherFor(model, { maxBatchSize: 8 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((v) => batcher.submit(rowsRequest(v))));
    expect(batchSizes(model)).toEqual([1, 1, 1, 1, 1]);
    expect(results.map((r) => r.batchSize)).toEqual([1, 1, 1, 1, 1]);
    expect(results.map((r) => outputValues(r)[0])).toEqual([2, 3, 4, 5, 6]);
  });

  it('runs every request alone when maxBatchSize is 1', async () => {
    const model = await fakeModel();
    const batcher = batcherFor(model, { maxBatchSize: 1 });
    await Promise.all([1, 2, 3].map((v) => batcher.submit(rowsRequest(v))));
    expect(batchSizes(model)).toEqual([1, 1, 1]);
  });

  it('fails every member of a batch whose run fails', async () => {
    const model = await fakeModel({ failOn: 13 });
    const batcher = batcherFor(model);
    const results = await Promise.allSettled([
      batcher.submit(rowsRequest(13)),
      batcher.submit(rowsRequest(1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(batchSizes(model)).toEqual([2]);
    await expect(batcher.submit(rowsRequest(1))).resolves.toBeDefined();
  });

  it('runs a malformed request alone so it cannot shift others’ rows', async () => {
    const model = await fakeModel();
    const batcher = batcherFor(model);
    const short = { inputs: [tensor('x', 'FP32', [1, 4], Float32Array.of(1, 2, 3))] };
    await Promise.allSettled([
      batcher.submit(rowsRequest(1)),
      batcher.submit(short),
      batcher.submit(rowsRequest(2)),
    ]);
    expect(batchSizes(model)).toEqual([1, 1, 1]);
  });

  it('reports every run to onBatch', async () => {
    const model = await fakeModel({ delayMs: 5 });
    const reports: [number, number, number][] = [];
    const batcher = batcherFor(model, {
      maxBatchSize: 4,
      onBatch: (size, requests, computeMs) => reports.push([size, requests, computeMs]),
    });
    await Promise.all([batcher.submit(rowsRequest(1, 3)), batcher.submit(rowsRequest(2))]);
    expect(reports).toEqual([[4, 2, expect.any(Number)]]);
    expect(reports[0]?.[2]).toBeGreaterThan(0);
  });
});
