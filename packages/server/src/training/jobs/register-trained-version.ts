import { createReadStream } from 'node:fs';
import type { ModelTask, ModelVersion } from '@modelport/contracts';
import type { AuditService } from '../../audit/index.js';
import type { Principal } from '../../auth/index.js';
import { AppError, isAppError } from '../../platform/errors/index.js';
import type { RegistryService } from '../../registry/index.js';
import type { LocatedDataset } from './job-ports.js';
import type { TrainedModel } from './worker-port.js';

export interface TrainedVersionInput {
  jobId: string;
  modelName: string;
  /** The training spec as the job ran it (lineage). */
  spec: Record<string, unknown>;
  dataset: Pick<LocatedDataset, 'id' | 'sha256' | 'format'>;
  trained: TrainedModel;
}

/**
 * Registers the exported model as the next version of `modelName` (created with the trained
 * task when missing), its config holding what serving needs (the task's pipeline settings) and
 * where it came from: metrics, baseline, the parity check and the lineage.
 */
export async function registerTrainedVersion(
  deps: { registry: RegistryService; audit: AuditService },
  p: Principal,
  input: TrainedVersionInput,
): Promise<ModelVersion> {
  const { trained } = input;
  const task: ModelTask = trained.serving.task;
  await ensureModel(deps.registry, p, input.modelName, task, input.jobId);
  const config = {
    ...trained.serving.config,
    task,
    metric: trained.scores.metric,
    metrics: trained.scores.metrics,
    baseline: trained.scores.baseline,
    evaluatedOn: trained.scores.evaluatedOn,
    parity: trained.parity,
    lineage: {
      jobId: input.jobId,
      datasetId: input.dataset.id,
      datasetSha256: input.dataset.sha256,
      datasetFormat: input.dataset.format,
      spec: input.spec,
      seed: trained.seed,
      libraries: trained.libraries,
      epochsRun: trained.scores.epochsRun,
    },
  };
  const version = await deps.registry.uploadVersion(p, input.modelName, {
    body: createReadStream(trained.onnxPath),
    config,
  });
  await deps.audit.record({
    project: p.projectId,
    key: p.keyId,
    action: 'version.upload',
    target: `${version.model}:${version.version}`,
    detail: {
      sha256: version.sha256,
      format: version.format,
      sizeBytes: version.sizeBytes,
      job: input.jobId,
    },
    requestId: null,
  });
  return version;
}

async function ensureModel(
  registry: RegistryService,
  p: Principal,
  name: string,
  task: ModelTask,
  jobId: string,
): Promise<void> {
  try {
    const model = await registry.getModel(p, name);
    if (model.task !== task)
      throw new AppError(
        'validation_failed',
        `Model '${name}' has task '${model.task}'; this job trains a ${task} model.`,
        { param: 'name' },
      );
  } catch (err) {
    if (!isAppError(err) || err.code !== 'model_not_found') throw err;
    await registry
      .createModel(p, { name, task, description: `Trained by training job ${jobId}` })
      .catch((created: unknown) => {
        // Another job made it meanwhile.
        if (!isAppError(created) || created.code !== 'model_already_exists') throw created;
      });
  }
}
