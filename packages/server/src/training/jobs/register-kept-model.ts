import type { ModelVersion, RegisterTrainingJobRequest, TrainingResult } from '@modelport/contracts';
import type { AuditService } from '../../audit/index.js';
import { mayUseModel, type Principal } from '../../auth/index.js';
import { AppError } from '../../platform/errors/index.js';
import type { Clock } from '../../platform/index.js';
import type { ArtifactStore, RegistryService } from '../../registry/index.js';
import type { JobJournal } from './job-journal.js';
import type { JobRepo, JobRow } from './job-repo.js';
import type { KeptModel } from './kept-model.js';
import { registerTrainedVersion } from './register-trained-version.js';
import { type StoredJobRequest, trainingSpecOf } from './stored-request.js';

/** A claim whose holder has not finished in this long belonged to a server that died meanwhile. */
const CLAIM_STALE_MS = 10 * 60_000;

export interface RegisterKeptDeps {
  repo: JobRepo;
  journal: JobJournal;
  clock: Clock;
  registry: RegistryService;
  artifacts: ArtifactStore;
  audit: AuditService;
}

/**
 * Registers the model a succeeded job kept as the next version of its model (or `model`), through
 * the same path as an automatic registration; the job's result then names the version and the job
 * keeps nothing more.
 */
export async function registerKeptModel(
  deps: RegisterKeptDeps,
  p: Principal,
  row: JobRow,
  body: RegisterTrainingJobRequest,
): Promise<ModelVersion> {
  const result = row.result === null ? null : (JSON.parse(row.result) as TrainingResult);
  if (row.state !== 'succeeded' || !result)
    throw notRegistrable(`Training job '${row.id}' is ${row.state}; only a succeeded job can be registered.`);
  if (result.version !== null)
    throw new AppError(
      'training_job_already_registered',
      `Training job '${row.id}' is already registered as ${result.model}:${result.version}.`,
      { details: { model: result.model, version: result.version } },
    );
  if (row.kept === null) throw notRegistrable(`Training job '${row.id}' kept no model to register.`);
  const modelName = body?.model ?? row.model_name;
  if (!mayUseModel(p, modelName))
    throw new AppError('model_not_found', `Model '${modelName}' does not exist.`);
  const now = deps.clock.now();
  const staleBefore = new Date(now.getTime() - CLAIM_STALE_MS).toISOString();
  if (!(await deps.repo.claimKept(row.id, now.toISOString(), staleBefore)))
    throw notRegistrable(`Training job '${row.id}' is being registered by another request.`);
  try {
    const kept = JSON.parse(row.kept) as KeptModel;
    const onnxPath = await deps.artifacts.fetchLocal(kept.uri, 'file');
    const version = await registerTrainedVersion(deps, p, {
      jobId: row.id,
      modelName,
      spec: trainingSpecOf(JSON.parse(row.spec) as StoredJobRequest),
      dataset: kept.dataset,
      trained: { ...kept.trained, onnxPath },
    });
    const registered: TrainingResult = {
      ...result,
      model: modelName,
      version: version.version,
      sha256: version.sha256,
    };
    await deps.repo.markRegistered(row.id, JSON.stringify(registered), deps.clock.now().toISOString());
    await deps.journal.log(row.id, 'info', `registered ${modelName}:${version.version}`);
    await deps.journal.append(row.id, { type: 'result', result: registered });
    return version;
  } catch (err) {
    await deps.repo.releaseKept(row.id);
    throw err;
  }
}

function notRegistrable(message: string): AppError {
  return new AppError('training_job_not_registrable', message);
}
