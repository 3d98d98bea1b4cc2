import type { InferenceMetrics, InferenceStats } from '../observability/index.js';
import type { ForwardResult } from './forward-infer.js';

export interface InferenceRecorders {
  metrics: InferenceMetrics;
  stats: InferenceStats;
}

/** Where a request's time went: from routing, to the runner's answer, to the rendered response. */
export interface InferenceTimes {
  startedAt: number;
  answeredAt: number;
  renderedAt: number;
}

type Labels = { model: string; version: string };

/** One answered inference in Triton's statistics and the Prometheus metrics. */
export function recordSuccess(
  to: InferenceRecorders,
  labels: Labels,
  result: ForwardResult,
  rows: number,
  times: InferenceTimes,
): void {
  const { startedAt, answeredAt, renderedAt } = times;
  to.stats.success(labels.model, labels.version, {
    rows,
    batchSize: result.batchSize,
    batchRequests: result.batchRequests,
    totalMs: renderedAt - startedAt,
    queueMs: result.queueMs,
    // What the API did around the runner's round trip: parse and send, then render.
    inputMs: Math.max(0, answeredAt - startedAt - result.queueMs - result.computeMs),
    computeMs: result.computeMs,
    outputMs: renderedAt - answeredAt,
  });
  to.metrics.success.inc(labels);
  to.metrics.queueSeconds.observe(labels, result.queueMs / 1000);
  to.metrics.computeSeconds.observe(labels, result.computeMs / 1000);
  to.metrics.batchSize.observe(labels, result.batchSize);
}

/** One failed inference (after routing), by the catalog code it failed with. */
export function recordFailure(to: InferenceRecorders, labels: Labels, code: string, startedAt: number): void {
  to.metrics.failure.inc({ ...labels, code });
  to.stats.failure(labels.model, labels.version, performance.now() - startedAt);
}
