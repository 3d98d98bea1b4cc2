import type { InferRequest, InferResponse } from '../../wire/index.js';
import { DeadlineExceededError, MAX_TIMER_MS } from '../queue/index.js';
import type { BatchShape } from './batch-key.js';

export interface BatchedResponse extends InferResponse {
  /** From submit to the start of the run the request joined. */
  queueMs: number;
  /** Duration of that run (shared by every request in the batch). */
  computeMs: number;
  /** Rows in that run; 1 when the model does not batch. */
  batchSize: number;
  /** Requests merged into that run. */
  batchRequests: number;
}

type State = 'queued' | 'running' | 'done';

/**
 * One submitted request: its promise, its deadline and its abort signal. Leaving the queue early
 * (deadline, abort) is reported through `onLeaveQueue` so the batcher can drop it before it runs.
 */
export class QueuedRequest {
  readonly request: InferRequest;
  /** `undefined` when the request runs alone (model does not batch, or the request cannot stack). */
  readonly shape: BatchShape | undefined;
  readonly enqueuedAt = performance.now();
  readonly promise: Promise<BatchedResponse>;
  #state: State = 'queued';
  #resolve: (value: BatchedResponse) => void = () => {};
  #reject: (reason: unknown) => void = () => {};
  readonly #timer: NodeJS.Timeout;
  readonly #signal: AbortSignal | undefined;
  readonly #onLeaveQueue: (entry: QueuedRequest) => void;
  readonly #onAbort = () => this.#leave(this.#signal?.reason);

  constructor(
    request: InferRequest,
    shape: BatchShape | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onLeaveQueue: (entry: QueuedRequest) => void,
  ) {
    this.request = request;
    this.#onLeaveQueue = onLeaveQueue;
    this.shape = shape;
    this.promise = new Promise<BatchedResponse>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const delay = Math.min(Math.max(timeoutMs, 0), MAX_TIMER_MS);
    this.#timer = setTimeout(() => this.#expire(timeoutMs), delay);
    this.#signal = signal;
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get state(): State {
    return this.#state;
  }

  /** Marks the request as part of a run; a deadline from now on rejects it without stopping the run. */
  start(): void {
    if (this.#state === 'queued') this.#state = 'running';
  }

  resolve(value: BatchedResponse): void {
    if (this.#finish()) this.#resolve(value);
  }

  reject(reason: unknown): void {
    if (this.#finish()) this.#reject(reason);
  }

  #expire(timeoutMs: number): void {
    this.#leave(new DeadlineExceededError(timeoutMs, this.#state === 'queued' ? 'queued' : 'running'));
  }

  #leave(reason: unknown): void {
    if (this.#state === 'queued') this.#onLeaveQueue(this);
    this.reject(reason);
  }

  #finish(): boolean {
    if (this.#state === 'done') return false;
    this.#state = 'done';
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    return true;
  }
}
