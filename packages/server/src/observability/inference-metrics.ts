import type { Registry } from 'prom-client';
import { SeriesCounter, SeriesHistogram } from './series-metrics.js';

/** Per-model inference metrics, named in the spirit of Triton's `nv_inference_*`. */
export function createInferenceMetrics(registry: Registry) {
  const labels = ['model', 'version'] as const;
  return {
    success: new SeriesCounter({
      name: 'modelport_inference_request_success_total',
      help: 'Inference requests that succeeded',
      labelNames: labels,
      registers: [registry],
    }),
    failure: new SeriesCounter({
      name: 'modelport_inference_request_failure_total',
      help: 'Inference requests that failed, by error code',
      labelNames: [...labels, 'code'],
      registers: [registry],
    }),
    queueSeconds: new SeriesHistogram({
      name: 'modelport_inference_queue_duration_seconds',
      help: 'Time requests waited in the runner queue',
      labelNames: labels,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    computeSeconds: new SeriesHistogram({
      name: 'modelport_inference_compute_duration_seconds',
      help: 'Model execution time of the batch each request ran in',
      labelNames: labels,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    batchSize: new SeriesHistogram({
      name: 'modelport_inference_batch_size',
      help: 'Rows in the batch each request ran in (dynamic batching)',
      labelNames: labels,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers: [registry],
    }),
  };
}

export type InferenceMetrics = ReturnType<typeof createInferenceMetrics>;

/** One deployment version's Prometheus children, looked up once instead of per request. */
export interface InferenceMetricsSeries {
  success: { inc(): void };
  queueSeconds: { observe(value: number): void };
  computeSeconds: { observe(value: number): void };
  batchSize: { observe(value: number): void };
  /** The failure counter's child for a catalog code, made on the code's first failure. */
  failure(code: string): { inc(): void };
}

export function inferenceMetricsSeries(
  metrics: InferenceMetrics,
  model: string,
  version: string,
): InferenceMetricsSeries {
  const failures = new Map<string, { inc(): void }>();
  return {
    success: metrics.success.series(model, version),
    queueSeconds: metrics.queueSeconds.series(model, version),
    computeSeconds: metrics.computeSeconds.series(model, version),
    batchSize: metrics.batchSize.series(model, version),
    failure(code: string) {
      let child = failures.get(code);
      if (!child) {
        child = metrics.failure.series(model, version, code);
        failures.set(code, child);
      }
      return child;
    },
  };
}
