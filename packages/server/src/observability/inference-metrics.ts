import { Counter, Histogram, type Registry } from 'prom-client';

/** Per-model inference metrics, named in the spirit of Triton's `nv_inference_*`. */
export function createInferenceMetrics(registry: Registry) {
  const labels = ['model', 'version'] as const;
  return {
    success: new Counter({
      name: 'modelport_inference_request_success_total',
      help: 'Inference requests that succeeded',
      labelNames: labels,
      registers: [registry],
    }),
    failure: new Counter({
      name: 'modelport_inference_request_failure_total',
      help: 'Inference requests that failed, by error code',
      labelNames: [...labels, 'code'],
      registers: [registry],
    }),
    queueSeconds: new Histogram({
      name: 'modelport_inference_queue_duration_seconds',
      help: 'Time requests waited in the runner queue',
      labelNames: labels,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    computeSeconds: new Histogram({
      name: 'modelport_inference_compute_duration_seconds',
      help: 'Model execution time of the batch each request ran in',
      labelNames: labels,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'modelport_inference_batch_size',
      help: 'Rows in the batch each request ran in (dynamic batching)',
      labelNames: labels,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers: [registry],
    }),
  };
}

export type InferenceMetrics = ReturnType<typeof createInferenceMetrics>;
