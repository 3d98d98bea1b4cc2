import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors/app-error.js';
import { DeadlineExceededError } from '../../src/runtime/queue/index.js';
import { rejectionOf, rowsRequest } from '../support/batch-tensors.js';
import { batcherFor, batchSizes, fakeModel, turnEnds, valuesSeen } from '../support/batching-fixtures.js';

describe('DynamicBatcher queue delay', () => {
  it('dispatches a lone request once maxQueueDelayMs has passed', async () => {
    const model = await fakeModel();
    const batcher = batcherFor(model, { maxBatchSize: 8, maxQueueDelayMs: 60 });
    const result = await batcher.submit(rowsRequest(1));
    expect(batchSizes(model)).toEqual([1]);
    expect(result.queueMs).toBeGreaterThanOrEqual(50);
    expect(result.queueMs).toBeLessThan(5_000);
  });

  it('dispatches a full batch without waiting out the delay', async () => {
    const model = await fakeModel();
    const batcher = batcherFor(model, { maxBatchSize: 4, maxQueueDelayMs: 20_000 });
    const results = await Promise.all([1, 2, 3, 4].map((v) => batcher.submit(rowsRequest(v))));
    expect(batchSizes(model)).toEqual([4]);
    for (const r of results) expect(r.queueMs).toBeLessThan(5_000);
  });

  it('dispatches at a preferred batch size without waiting out the delay', async () => {
    const model = await fakeModel();
    const batcher = batcherFor(model, { maxBatchSize: 8, maxQueueDelayMs: 20_000, preferredBatchSizes: [2] });
    await Promise.all([batcher.submit(rowsRequest(1)), batcher.submit(rowsRequest(2))]);
    expect(batchSizes(model)).toEqual([2]);
  });

  it('sends what arrived in one event-loop turn together to an idle session', async () => {
    const model = await fakeModel({ delayMs: 10 });
    const batcher = batcherFor(model, { maxBatchSize: 8, maxQueueDelayMs: 0 });
    await Promise.all([1, 2, 3].map((v) => batcher.submit(rowsRequest(v))));
    expect(batchSizes(model)).toEqual([3]);
  });

  it('forms the next batch while the current one runs', async () => {
    const model = await fakeModel({ delayMs: 50 });
    const batcher = batcherFor(model, { maxBatchSize: 8, maxQueueDelayMs: 0 });
    const first = batcher.submit(rowsRequest(1));
    await turnEnds();
    const rest = [2, 3, 4].map((v) => batcher.submit(rowsRequest(v)));
    await Promise.all([first, ...rest]);
    expect(batchSizes(model)).toEqual([1, 3]);
  });
});

describe('DynamicBatcher limits', () => {
  it('refuses a request beyond maxQueueSize with a retryable 503', async () => {
    const model = await fakeModel({ delayMs: 50 });
    const batcher = batcherFor(model, { maxBatchSize: 1, maxQueueSize: 2 });
    const admitted = [batcher.submit(rowsRequest(1))];
    await turnEnds();
    admitted.push(...[2, 3].map((v) => batcher.submit(rowsRequest(v))));
    const err = await rejectionOf(batcher.submit(rowsRequest(4)));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'queue_full', status: 503, retryable: true, retryAfterS: 1 });
    await Promise.all(admitted);
    expect(batchSizes(model)).toEqual([1, 1, 1]);
  });

  it('drops a request whose deadline passes while queued, without running it', async () => {
    const model = await fakeModel({ delayMs: 150 });
    const batcher = batcherFor(model, { maxBatchSize: 1 });
    const running = batcher.submit(rowsRequest(1));
    const late = batcher.submit(rowsRequest(777), { timeoutMs: 30 });
    const after = batcher.submit(rowsRequest(2));
    expect(await rejectionOf(late)).toBeInstanceOf(DeadlineExceededError);
    expect(batcher.queueLength).toBe(1);
    await Promise.all([running, after]);
    await batcher.drain();
    expect(valuesSeen(model)).not.toContain(777);
    expect(batchSizes(model)).toEqual([1, 1]);
  });

  it('answers a request whose deadline passes while running at the deadline; the others still succeed', async () => {
    const model = await fakeModel({ delayMs: 400, op: 'add1' });
    const batcher = batcherFor(model, { maxBatchSize: 4, maxQueueDelayMs: 5 });
    const order: string[] = [];
    const track = <T>(name: string, p: Promise<T>) =>
      p.then(
        (v) => {
          order.push(`${name} ok`);
          return v;
        },
        (e: unknown) => {
          order.push(`${name} failed`);
          return e;
        },
      );
    const results = await Promise.all([
      track('short', batcher.submit(rowsRequest(1), { timeoutMs: 60 })),
      track('b', batcher.submit(rowsRequest(10))),
      track('c', batcher.submit(rowsRequest(20))),
    ]);
    expect(batchSizes(model)).toEqual([3]);
    expect(results[0]).toBeInstanceOf(DeadlineExceededError);
    expect((results[0] as DeadlineExceededError).message).toMatch(/running/);
    expect(order[0]).toBe('short failed');
    expect(order.slice(1).sort()).toEqual(['b ok', 'c ok']);
  });

  it('withdraws a queued request when its signal aborts', async () => {
    const model = await fakeModel({ delayMs: 50 });
    const batcher = batcherFor(model, { maxBatchSize: 1 });
    const running = batcher.submit(rowsRequest(1));
    const abort = new AbortController();
    const withdrawn = batcher.submit(rowsRequest(555), { signal: abort.signal });
    abort.abort();
    expect(await rejectionOf(withdrawn)).toMatchObject({ name: 'AbortError' });
    await running;
    await batcher.drain();
    expect(valuesSeen(model)).not.toContain(555);
    await expect(
      rejectionOf(batcher.submit(rowsRequest(1), { signal: abort.signal })),
    ).resolves.toMatchObject({
      name: 'AbortError',
    });
  });

  it('drain waits for queued and running work', async () => {
    const model = await fakeModel({ delayMs: 30 });
    const batcher = batcherFor(model, { maxBatchSize: 1 });
    await batcher.drain();
    const settled: number[] = [];
    for (const v of [1, 2, 3]) void batcher.submit(rowsRequest(v)).then(() => settled.push(v));
    await batcher.drain();
    expect(settled).toEqual([1, 2, 3]);
  });

  it('close refuses queued and new requests with a 503 and lets the running batch finish', async () => {
    const model = await fakeModel({ delayMs: 50 });
    const batcher = batcherFor(model, { maxBatchSize: 1 });
    const running = batcher.submit(rowsRequest(1));
    await turnEnds();
    const queued = batcher.submit(rowsRequest(2));
    batcher.close();
    expect(await rejectionOf(queued)).toMatchObject({
      code: 'service_unavailable',
      status: 503,
      retryAfterS: 1,
    });
    expect(await rejectionOf(batcher.submit(rowsRequest(3)))).toMatchObject({ code: 'service_unavailable' });
    await expect(running).resolves.toMatchObject({ batchSize: 1 });
    await batcher.drain();
    expect(batchSizes(model)).toEqual([1]);
  });
});
