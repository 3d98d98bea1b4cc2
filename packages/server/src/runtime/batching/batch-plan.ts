import type { BatchShape } from './batch-key.js';

export interface PlanSettings {
  maxBatchSize: number;
  maxQueueDelayMs: number;
  preferredBatchSizes: ReadonlySet<number>;
  /** False when the model does not batch or maxBatchSize ≤ 1: every request runs alone. */
  merging: boolean;
}

export interface Waiting {
  readonly shape: BatchShape | undefined;
  readonly enqueuedAt: number;
}

/** Dispatch the first `take` queued requests now, or look again in `waitMs`. */
export type BatchPlan = { take: number } | { waitMs: number };

/**
 * Triton-style dynamic batching over a FIFO queue: grow a batch from the head with compatible
 * requests; send it as soon as it is full, hits a preferred size, or cannot grow (the next request
 * is incompatible or too big), else once the oldest request has waited `maxQueueDelayMs`.
 */
export function planBatch(
  queue: readonly Waiting[],
  settings: PlanSettings,
  now: number,
): BatchPlan | undefined {
  const head = queue[0];
  if (!head) return undefined;
  const key = head.shape?.key;
  let rows = head.shape?.rows ?? 0;
  if (!settings.merging || key === undefined || rows >= settings.maxBatchSize) return { take: 1 };
  let count = 1;
  let preferred = settings.preferredBatchSizes.has(rows) ? 1 : 0;
  for (const next of queue.slice(1)) {
    if (next.shape?.key !== key) return { take: count };
    if (rows + next.shape.rows > settings.maxBatchSize) return { take: count };
    rows += next.shape.rows;
    count += 1;
    if (rows === settings.maxBatchSize) return { take: count };
    if (settings.preferredBatchSizes.has(rows)) preferred = count;
  }
  if (preferred > 0) return { take: preferred };
  const waited = now - head.enqueuedAt;
  if (waited >= settings.maxQueueDelayMs) return { take: count };
  return { waitMs: settings.maxQueueDelayMs - waited };
}
