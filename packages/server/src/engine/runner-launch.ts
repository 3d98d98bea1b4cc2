import type { RunnerLaunch } from './runner-host.js';
import type { ServingPlan } from './serving-plan.js';

/** What every instance of a plan's pool runs: the runner spec but where it listens. */
export function runnerLaunchOf(plan: ServingPlan): RunnerLaunch {
  const { settings } = plan;
  return {
    backend: plan.backend,
    modelPath: plan.artifactPath,
    modelName: plan.name,
    modelVersion: String(plan.version),
    threads: plan.threads,
    options: settings.options,
    batching: {
      maxBatchSize: settings.batching.maxBatchSize,
      maxQueueDelayMs: settings.batching.maxQueueDelayMs,
      ...(settings.batching.preferredBatchSizes
        ? { preferredBatchSizes: settings.batching.preferredBatchSizes }
        : {}),
    },
    maxQueueSize: settings.maxQueueSize,
    timeoutMs: settings.timeoutMs,
    maxBodyBytes: plan.maxBodyBytes,
  };
}
