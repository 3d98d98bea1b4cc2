import { DeadlineExceededError } from './deadline-exceeded-error.js';
import {
  MAX_TIMER_MS,
  type QueueOptions,
  type QueueStats,
  queueFull,
  type RequestQueue,
  type Timed,
  unloading,
} from './request-queue.js';

export interface WorkQueueOptions {
  /** Runs at once: 1 when a run already uses every thread, the sequence count for an LLM. */
  concurrency: number;
  /** Requests allowed to wait; one more is refused with 503 `queue_full`. */
  maxQueueSize: number;
}

/** A turn in the queue, held until released (a stream holds it until its last event). */
export interface Lease {
  /** Aborted when the caller goes away or, for `run`, the deadline passes. */
  readonly signal: AbortSignal;
  readonly queueMs: number;
  release(): void;
}

interface Waiter {
  start(): void;
  fail(reason: unknown): void;
}

/**
 * At most `concurrency` works at once, later ones wait in FIFO order. Work that cannot stop when
 * aborted keeps its slot until it settles; its caller is answered at once.
 */
export class WorkQueue implements RequestQueue {
  readonly #waiting: Waiter[] = [];
  #running = 0;
  #closed = false;
  #idle: (() => void) | undefined;

  constructor(private readonly options: WorkQueueOptions) {}

  stats(): QueueStats {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  /** Runs `work` in its turn; the deadline covers the wait and the run. */
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

  /**
   * Waits for a turn (the deadline covers the wait only: a stream is bounded by its own length)
   * and hands it over; the caller releases it when done.
   */
  async acquire(options: QueueOptions): Promise<Lease> {
    this.#admit(options.signal);
    const enqueuedAt = performance.now();
    const job = new AbortController();
    const unlink = linkAbort(job, options, () => 'queued');
    try {
      await this.#turn(job.signal);
    } finally {
      unlink();
    }
    const onCaller = () => job.abort(options.signal.reason);
    options.signal.addEventListener('abort', onCaller, { once: true });
    let released = false;
    return {
      signal: job.signal,
      queueMs: performance.now() - enqueuedAt,
      release: () => {
        if (released) return;
        released = true;
        options.signal.removeEventListener('abort', onCaller);
        this.#release();
      },
    };
  }

  /** Refuses new work, fails what waits (503), and resolves once the running work settled. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.fail(unloading());
    if (this.#running > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
  }

  #admit(signal: AbortSignal): void {
    if (this.#closed) throw unloading();
    signal.throwIfAborted();
    const { concurrency, maxQueueSize } = this.options;
    if (this.#running >= concurrency && this.#waiting.length >= maxQueueSize)
      throw queueFull(
        `${concurrency === 1 ? 'The one slot is' : `All ${concurrency} slots are`} busy and ` +
          `${this.#waiting.length} requests are waiting (the queue holds ${maxQueueSize}).`,
      );
  }

  /** Resolves when this job holds a slot; rejects if it is aborted while waiting. */
  #turn(signal: AbortSignal): Promise<void> {
    if (this.#running < this.options.concurrency && this.#waiting.length === 0) {
      this.#running++;
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
    this.#running--;
    if (this.#running === 0) this.#idle?.();
  }
}

/** Aborts `job` when the caller goes away or the deadline passes; returns the cleanup. */
function linkAbort(
  job: AbortController,
  options: QueueOptions,
  state: () => 'queued' | 'running',
): () => void {
  const { signal, timeoutMs } = options;
  const onCaller = () => job.abort(signal.reason);
  signal.addEventListener('abort', onCaller, { once: true });
  const timer = setTimeout(
    () => job.abort(new DeadlineExceededError(timeoutMs, state())),
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
