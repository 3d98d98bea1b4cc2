import type { InstancePool } from '../engine/index.js';
import {
  type InferenceMetrics,
  type InferenceMetricsSeries,
  type InferenceStats,
  inferenceMetricsSeries,
  type StatsSeries,
} from '../observability/index.js';
import type { MeterTarget } from '../usage/index.js';
import type { ForwardResult } from './forward-infer.js';

export interface InferenceRecorders {
  metrics: InferenceMetrics;
  stats: InferenceStats;
}

/** What a request records of the pool it reached, built once per pool rather than once per request. */
export interface PoolRecorder {
  stats: StatsSeries;
  metrics: InferenceMetricsSeries;
  /** The deployment doing the work, as the usage meter names it. */
  served: Readonly<Pick<MeterTarget, 'deployment' | 'model' | 'version'>>;
  /** The model and version the answer names. */
  model: Readonly<{ name: string; version: string }>;
}

/** The recorder of each pool a request reached, kept as long as the pool is. */
export function poolRecorders(to: InferenceRecorders): (pool: InstancePool) => PoolRecorder {
  const recorders = new WeakMap<InstancePool, PoolRecorder>();
  return (pool) => {
    let recorder = recorders.get(pool);
    if (!recorder) {
      const { name, modelName } = pool.plan;
      const version = String(pool.plan.version);
      recorder = {
        stats: to.stats.series(name, version),
        metrics: inferenceMetricsSeries(to.metrics, name, version),
        served: { deployment: name, model: modelName, version: pool.plan.version },
        model: { name, version },
      };
      recorders.set(pool, recorder);
    }
    return recorder;
  };
}

/** One answered inference in Triton's statistics and the Prometheus metrics. */
export function recordSuccess(
  to: PoolRecorder,
  result: ForwardResult,
  rows: number,
  startedAt: number,
  answeredAt: number,
  renderedAt: number,
): void {
  const { queueMs, computeMs, batchSize } = result;
  to.stats.success(
    rows,
    batchSize,
    result.batchRequests,
    renderedAt - startedAt,
    queueMs,
    // What the API did around the runner's round trip: parse and send, then render.
    Math.max(0, answeredAt - startedAt - queueMs - computeMs),
    computeMs,
    renderedAt - answeredAt,
  );
  to.metrics.success.inc();
  to.metrics.queueSeconds.observe(queueMs / 1000);
  to.metrics.computeSeconds.observe(computeMs / 1000);
  to.metrics.batchSize.observe(batchSize);
}

/** One failed inference (after routing), by the catalog code it failed with. */
export function recordFailure(to: PoolRecorder, code: string, startedAt: number): void {
  to.metrics.failure(code).inc();
  to.stats.failure(performance.now() - startedAt);
}
