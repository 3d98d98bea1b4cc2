import type { DeploymentSettings } from '@modelport/contracts';
import { AppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import type { LlmInfo, ModelInfo } from '../wire/index.js';
import { RunnerProcess, type RunnerTiming } from './runner-process.js';

export type RunnerBackend = 'onnx' | 'fake' | 'llama' | 'transformers';

export interface ServingPlan {
  deploymentId: string;
  name: string;
  modelName: string;
  /** The model's task (`tensor`, `text-generation`, `image-classification`, …). */
  task: string;
  version: number;
  backend: RunnerBackend;
  artifactPath: string;
  settings: DeploymentSettings;
  threads: number;
  maxBodyBytes: number;
  /** Memory one instance is expected to hold before it is measured (see instance-memory.ts). */
  instanceBytes: number;
}

/** The instances serving one version of a deployment; requests go to the least busy ready one. */
export class InstancePool {
  readonly runners: RunnerProcess[];

  constructor(
    readonly plan: ServingPlan,
    log: Logger,
    timing?: RunnerTiming,
  ) {
    const { settings } = plan;
    this.runners = Array.from(
      { length: settings.instances },
      () =>
        new RunnerProcess(
          {
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
          },
          log,
          timing,
        ),
    );
  }

  /** Resolves when every instance is ready; a model that cannot load fails here. */
  async start(): Promise<void> {
    try {
      await Promise.all(this.runners.map((r) => r.start()));
    } catch (err) {
      await this.stop(0);
      throw err;
    }
  }

  get ready(): boolean {
    return this.runners.some((r) => r.state === 'ready');
  }

  /** Tensor backends' inputs and outputs; undefined for language models. */
  get info(): ModelInfo | undefined {
    if (this.plan.backend === 'llama' || this.plan.backend === 'transformers') return undefined;
    return this.runners.find((r) => r.info)?.info as ModelInfo | undefined;
  }

  get llmInfo(): LlmInfo | undefined {
    if (this.plan.backend !== 'llama') return undefined;
    return this.runners.find((r) => r.info)?.info as LlmInfo | undefined;
  }

  get outstanding(): number {
    return this.runners.reduce((sum, r) => sum + r.outstanding, 0);
  }

  /** What the instances hold now: measured where they run, estimated where they start. */
  get memoryBytes(): number {
    return this.runners.reduce((sum, r) => sum + r.memoryBytes(this.plan.instanceBytes), 0);
  }

  /** What the instances are expected to hold once started, before any is measured. */
  get plannedBytes(): number {
    return this.plan.instanceBytes * this.runners.length;
  }

  pick(): RunnerProcess {
    let best: RunnerProcess | undefined;
    for (const r of this.runners) {
      if (r.state === 'ready' && r.client && (!best || r.outstanding < best.outstanding)) best = r;
    }
    if (!best) {
      throw new AppError('model_not_ready', `Deployment '${this.plan.name}' has no ready instance.`, {
        retryAfterS: 1,
      });
    }
    return best;
  }

  async stop(graceMs = 10_000): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop(graceMs)));
  }
}
