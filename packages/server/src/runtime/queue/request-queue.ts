import { AppError } from '../../platform/errors/index.js';

/** Work in a queue now: running, and waiting for a turn. */
export interface QueueStats {
  running: number;
  waiting: number;
}

/**
 * What every queue in a runner shares, whatever the backend: bounded (one past the bound is 503
 * `queue_full` with Retry-After), deadlines (504 `deadline_exceeded`), the caller's abort
 * withdrawing its request, and a close that refuses new work (503) and lets running work finish.
 * Tensor models queue in a DynamicBatcher (requests merged into runs); the others in a WorkQueue
 * (a fixed number of runs at once: one for an encoder model, one per sequence for an LLM).
 */
export interface RequestQueue {
  stats(): QueueStats;
  close(): Promise<void>;
}

export interface QueueOptions {
  /** The caller going away: leaves the queue, or is passed to running work. */
  signal: AbortSignal;
  /** Deadline from submission; 504 after it. */
  timeoutMs: number;
}

export interface Timed<T> {
  value: T;
  /** From submission to the start of the work. */
  queueMs: number;
  computeMs: number;
}

/** setTimeout fires at once for larger delays, which would expire every request. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function queueFull(message: string): AppError {
  return new AppError('queue_full', message, { retryAfterS: 1 });
}

export function unloading(): AppError {
  return new AppError('service_unavailable', 'The model is unloading.', { retryAfterS: 1 });
}
