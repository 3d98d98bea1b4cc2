import type { VersionStats } from '../../observability/index.js';

/**
 * One model version in Triton's statistics extension (`GET /v2/models[/{m}[/versions/{v}]]/stats`).
 * Fields Modelport has nothing for (response cache hits, per-batch input and output times) are left
 * out, which Triton's protobuf JSON reads as zero.
 */
export function renderModelStats(s: VersionStats) {
  return {
    name: s.deployment,
    version: s.version,
    last_inference: s.lastInferenceMs,
    inference_count: s.inferences,
    execution_count: s.executions,
    inference_stats: {
      success: s.success,
      fail: s.fail,
      queue: s.queue,
      compute_input: s.computeInput,
      compute_infer: s.computeInfer,
      compute_output: s.computeOutput,
    },
    batch_stats: s.batches.map((b) => ({
      batch_size: b.batchSize,
      compute_infer: { count: b.executions, ns: b.computeNs },
    })),
  };
}
