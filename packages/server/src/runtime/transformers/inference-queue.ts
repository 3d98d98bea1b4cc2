import { AppError } from '../../platform/errors/index.js';

export interface Timed<T> {
  value: T;
  /** From submission to the start of the work. */
  queueMs: number;
  computeMs: number;
}

export interface QueueOptions {
  /** The caller going away: leaves the queue, or is passed to running work. */
  signal: AbortSignal;
  /** Deadline over queueing and running; 504 `deadline_exceeded` after it. */
  timeoutMs: number;
}

interface Waiter {
  start(): void;
  fail(reason: unknown): void;
}

/** setTimeout fires at once for larger delays. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One inference at a time, later ones wait in FIFO order, at most `maxQueueSize` of them (503
 * `queue_full` beyond). One at a time because a run already uses every thread the runner was given.
 * Work that cannot stop when aborted keeps the slot until it settles; its caller is answered at once.
 */
export class InferenceQueue {
  readonly #waiting: Waiter[] = [];
  #running = false;
  #closed = false;
  #idle: (() => void) | undefined;

  constructor(private readonly maxQueueSize: number) {}

  get waiting(): number {
    return this.#waiting.length;
  }

  get running(): boolean {
    return this.#running;
  }

  async run<T>(work: (signal: AbortSignal) => Promise<T>, options: QueueOptions): Promise<Timed<T>> {
    this.#admit(options.signal);
    const enqueuedAt = performance.now();
    let state: 'queued' | 'running' = 'queued';
    const job = new AbortController();
    const unlink = linkAbort(job, options, () => state);
    try {
      await this.#turn(job.signal);
      state = 'running';
      const startedAt = performance.now();
      const value = await untilAborted(this.#execute(work, job.signal), job.signal);
      return { value, queueMs: startedAt - enqueuedAt, computeMs: performance.now() - startedAt };
    } finally {
      unlink();
    }
  }

  /** Refuses new work, fails what waits (503), and resolves once the running work settled. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.fail(unloading());
    if (this.#running) await new Promise<void>((resolve) => (this.#idle = resolve));
  }

  #admit(signal: AbortSignal): void {
    if (this.#closed) throw unloading();
    signal.throwIfAborted();
    if (this.#running && this.#waiting.length >= this.maxQueueSize)
      throw new AppError(
        'queue_full',
        `One inference is running and ${this.#waiting.length} requests are waiting (the queue holds ${this.maxQueueSize}).`,
        { retryAfterS: 1 },
      );
  }

  /** Resolves when this job holds the slot; rejects if it is aborted while waiting. */
  #turn(signal: AbortSignal): Promise<void> {
    if (!this.#running) {
      this.#running = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const leave = (reason: unknown) => {
        const at = this.#waiting.indexOf(waiter);
        if (at >= 0) this.#waiting.splice(at, 1);
        signal.removeEventListener('abort', onAbort);
        reject(reason);
      };
      const onAbort = () => leave(signal.reason);
      const waiter: Waiter = {
        start: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: leave,
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #execute<T>(work: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    const running = Promise.resolve().then(() => work(signal));
    const release = () => this.#release();
    running.then(release, release);
    return running;
  }

  /** Hands the slot straight to the next waiter, so it never looks free in between. */
  #release(): void {
    const next = this.#waiting.shift();
    if (next) {
      next.start();
      return;
    }
    this.#running = false;
    this.#idle?.();
  }
}

function unloading(): AppError {
  return new AppError('service_unavailable', 'The model is unloading.', { retryAfterS: 1 });
}

/** Aborts `job` when the caller goes away or the deadline passes; returns the cleanup. */
function linkAbort(job: AbortController, options: QueueOptions, state: () => string): () => void {
  const { signal, timeoutMs } = options;
  const onCaller = () => job.abort(signal.reason);
  signal.addEventListener('abort', onCaller, { once: true });
  const timer = setTimeout(
    () =>
      job.abort(
        new AppError(
          'deadline_exceeded',
          `The request's ${timeoutMs} ms deadline passed while it was ${state()}.`,
        ),
      ),
    Math.min(Math.max(timeoutMs, 0), MAX_TIMER_MS),
  );
  return () => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onCaller);
  };
}

/** Settles with the work, or rejects as soon as the signal aborts (the work may still be running). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
