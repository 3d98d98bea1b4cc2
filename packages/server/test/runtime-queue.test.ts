import { describe, expect, it } from 'vitest';
import { AppError } from '../src/platform/errors/index.js';
import { WorkQueue } from '../src/runtime/queue/index.js';

/** Work the test finishes by hand, recording the signal it was given. */
function gate<T>(value: T) {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  const seen: AbortSignal[] = [];
  const work = async (signal: AbortSignal) => {
    seen.push(signal);
    await opened;
    return value;
  };
  return { work, open, seen };
}

const forever = { signal: new AbortController().signal, timeoutMs: 60_000 };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkQueue, one at a time', () => {
  it('runs one job at a time, in submission order', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueueSize: 4 });
    const order: number[] = [];
    const a = gate(1);
    const first = queue.run(async (s) => order.push(await a.work(s)), forever);
    const second = queue.run(async () => order.push(2), forever);
    const third = queue.run(async () => order.push(3), forever);
    await tick();
    expect({ ...queue.stats(), order }).toEqual({
      running: 1,
      waiting: 2,
      order: [],
    });
    a.open();
    await Promise.all([first, second, third]);
    expect(order).toEqual([1, 2, 3]);
    expect(queue.stats().running).toBe(0);
    expect((await queue.run(async () => 'x', forever)).value).toBe('x');
  });

  it('refuses beyond maxQueueSize waiting with 503 queue_full, Retry-After 1', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueueSize: 1 });
    const a = gate('a');
    const running = queue.run(a.work, forever);
    const waiting = queue.run(async () => 'b', forever);
    await tick();
    const refused = await queue.run(async () => 'c', forever).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'queue_full', status: 503, retryAfterS: 1 });
    a.open();
    expect((await running).value).toBe('a');
    expect((await waiting).value).toBe('b');
  });

  it('drops a waiting job whose caller aborts; it never runs', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueueSize: 2 });
    const a = gate('a');
    const running = queue.run(a.work, forever);
    const caller = new AbortController();
    let ran = false;
    const dropped = queue.run(
      async () => {
        ran = true;
      },
      { signal: caller.signal, timeoutMs: 60_000 },
    );
    await tick();
    caller.abort(new Error('gone'));
    await expect(dropped).rejects.toThrow('gone');
    expect(queue.stats().waiting).toBe(0);
    a.open();
    await running;
    expect(ran).toBe(false);
  });

  it('answers 504 at the deadline, aborts the running work, and keeps the slot until it settles', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueueSize: 2 });
    const a = gate('late');
    const late = queue.run(a.work, { signal: new AbortController().signal, timeoutMs: 30 });
    const queued = queue.run(async () => 'next', { signal: new AbortController().signal, timeoutMs: 30 });
    await expect(late).rejects.toMatchObject({ code: 'deadline_exceeded', status: 504 });
    await expect(queued).rejects.toThrow(/while it was queued/);
    expect(a.seen[0]?.aborted).toBe(true);
    expect(queue.stats().running).toBe(1);
    a.open();
    await tick();
    expect(queue.stats().running).toBe(0);
  });

  it('on close fails waiting jobs with 503 and waits for the running one', async () => {
    const queue = new WorkQueue({ concurrency: 1, maxQueueSize: 2 });
    const a = gate('a');
    const running = queue.run(a.work, forever);
    const waiting = queue.run(async () => 'b', forever);
    await tick();
    let closed = false;
    const closing = queue.close().then(() => {
      closed = true;
    });
    await expect(waiting).rejects.toMatchObject({ code: 'service_unavailable' });
    await tick();
    expect(closed).toBe(false);
    a.open();
    await closing;
    expect((await running).value).toBe('a');
    await expect(queue.run(async () => 'c', forever)).rejects.toMatchObject({ code: 'service_unavailable' });
  });
});
