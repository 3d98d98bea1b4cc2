import type { InferRequest, InferResponse } from '../../wire/index.js';
import type { TensorModel } from '../contract.js';
import { type QueueStats, queueFull, type RequestQueue, unloading } from '../queue/index.js';
import { batchShapeOf } from './batch-key.js';
import { type PlanSettings, planBatch } from './batch-plan.js';
import { runBatch } from './batch-run.js';
import { type BatchedResponse, QueuedRequest } from './queued-request.js';

export interface DynamicBatcherOptions {
  /** Most rows in one run; ≤ 1 turns merging off. A single larger request still runs, alone. */
  maxBatchSize: number;
  /** Longest the oldest queued request waits for a batch to fill. */
  maxQueueDelayMs: number;
  /** Batch sizes sent at once when reached, without waiting out the delay. */
  preferredBatchSizes?: number[] | undefined;
  /** Requests allowed to wait; one more is refused with `queue_full` (503). */
  maxQueueSize: number;
  defaultTimeoutMs: number;
  /** Called after every run, for metrics. */
  onBatch?: ((batchSize: number, requests: number, computeMs: number) => void) | undefined;
}

export interface SubmitOptions {
  /** Deadline from submit; queued past it the request is dropped, running past it the caller is answered. */
  timeoutMs?: number | undefined;
  /** Aborting withdraws the request (the caller went away). */
  signal?: AbortSignal | undefined;
}

type Outcome = { ok: true; responses: InferResponse[] } | { ok: false; error: unknown };

/**
 * Queues requests for one model instance and runs them one batch at a time (the instance has one
 * session), stacking compatible requests along dim 0 while the previous batch runs.
 */
export class DynamicBatcher implements RequestQueue {
  readonly #model: TensorModel;
  readonly #options: DynamicBatcherOptions;
  readonly #plan: PlanSettings;
  readonly #queue: QueuedRequest[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #running = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Immediate | undefined;

  constructor(model: TensorModel, options: DynamicBatcherOptions) {
    this.#model = model;
    this.#options = options;
    this.#plan = {
      maxBatchSize: options.maxBatchSize,
      maxQueueDelayMs: options.maxQueueDelayMs,
      preferredBatchSizes: new Set(options.preferredBatchSizes ?? []),
      merging: model.info().batchable && options.maxBatchSize > 1,
    };
  }

  /**
   * Requests waiting for a run: not the one running, nor, on an idle session, the first queued
   * (it runs at the end of this event-loop turn).
   */
  get queueLength(): number {
    return this.#running ? this.#queue.length : Math.max(0, this.#queue.length - 1);
  }

  submit(request: InferRequest, options: SubmitOptions = {}): Promise<BatchedResponse> {
    if (this.#closed) return Promise.reject(unloading());
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    if (this.queueLength >= this.#options.maxQueueSize) {
      return Promise.reject(queueFull(`The model's queue is full (${this.#options.maxQueueSize} waiting).`));
    }
    const timeoutMs = Number.isFinite(options.timeoutMs) ? Number(options.timeoutMs) : undefined;
    const entry = new QueuedRequest(
      request,
      this.#plan.merging ? batchShapeOf(request) : undefined,
      timeoutMs ?? this.#options.defaultTimeoutMs,
      options.signal,
      (left) => this.#remove(left),
    );
    this.#queue.push(entry);
    this.#scheduleSoon();
    return entry.promise;
  }

  /** Resolves once nothing is queued or running. */
  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stats(): QueueStats {
    const starting = !this.#running && this.#queue.length > 0;
    return { running: this.#running || starting ? 1 : 0, waiting: this.queueLength };
  }

  /** Refuses queued and future requests with a 503; resolves once a batch already running completed. */
  close(): Promise<void> {
    this.#closed = true;
    for (const entry of this.#queue.splice(0)) entry.reject(unloading());
    this.#schedule();
    return this.drain();
  }

  #remove(entry: QueuedRequest): void {
    const at = this.#queue.indexOf(entry);
    if (at >= 0) this.#queue.splice(at, 1);
    this.#schedule();
  }

  #isIdle(): boolean {
    return !this.#running && this.#queue.length === 0;
  }

  /**
   * Plans at the end of this event-loop turn rather than now: requests that arrived together (one
   * socket read holds many frames) reach an idle session as one batch, not the first one alone.
   */
  #scheduleSoon(): void {
    if (this.#running || this.#soon) return;
    this.#soon = setImmediate(() => {
      this.#soon = undefined;
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#running) {
      this.#clearTimer();
      return;
    }
    const plan = planBatch(this.#queue, this.#plan, performance.now());
    if (!plan) {
      this.#clearTimer();
      for (const wake of this.#idleWaiters.splice(0)) wake();
    } else if ('waitMs' in plan) {
      // A request joining a filling batch keeps the timer: the wait is the oldest request's, and a
      // timer that fires early (its request left) just plans again. One timer per batch, not per request.
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, plan.waitMs);
    } else {
      this.#clearTimer();
      void this.#run(this.#queue.splice(0, plan.take));
    }
  }

  #clearTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #run(batch: QueuedRequest[]): Promise<void> {
    this.#running = true;
    const startedAt = performance.now();
    for (const entry of batch) entry.start();
    const rowCounts = batch.map((entry) => entry.shape?.rows ?? 1);
    const batchSize = this.#plan.merging ? rowCounts.reduce((n, r) => n + r, 0) : 1;
    let outcome: Outcome;
    try {
      const responses = await runBatch(
        this.#model,
        batch.map((entry) => entry.request),
        rowCounts,
      );
      outcome = { ok: true, responses };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const computeMs = performance.now() - startedAt;
    this.#running = false;
    for (const [i, entry] of batch.entries()) {
      const response = outcome.ok ? outcome.responses[i] : undefined;
      const queueMs = startedAt - entry.enqueuedAt;
      if (response)
        entry.resolve({ ...response, queueMs, computeMs, batchSize, batchRequests: batch.length });
      else entry.reject(outcome.ok ? new Error('batch lost a response') : outcome.error);
    }
    this.#report(batchSize, batch.length, computeMs);
    this.#schedule();
  }

  #report(batchSize: number, requests: number, computeMs: number): void {
    try {
      this.#options.onBatch?.(batchSize, requests, computeMs);
    } catch {
      // A metrics callback must not stall the queue.
    }
  }
}
