import type { TrainingResult } from '@modelport/contracts';
import type { AuditService } from '../../audit/index.js';
import type { Clock, Logger } from '../../platform/index.js';
import type { ArtifactStore, RegistryService } from '../../registry/index.js';
import { type CheckpointCopy, createCheckpointCopy } from './checkpoint-copy.js';
import { failureOf, type JobFailure } from './job-failure.js';
import { jobDir, removeJobFiles } from './job-files.js';
import type { JobJournal } from './job-journal.js';
import type { DatasetSource, LocatedDataset, TrainedVersionDeployer } from './job-ports.js';
import { jobPrincipal } from './job-principal.js';
import type { JobRepo, JobRow } from './job-repo.js';
import { type KeptModel, keepTrainedModel } from './kept-model.js';
import { ProgressWriter } from './progress-writer.js';
import { registerTrainedVersion } from './register-trained-version.js';
import { type StoredJobRequest, trainingSpecOf } from './stored-request.js';
import type { TrainedModel, TrainingWorker, WorkerLauncher } from './worker-port.js';

export interface JobRunnerDeps {
  repo: JobRepo;
  journal: JobJournal;
  clock: Clock;
  log: Logger;
  dataDir: string;
  /** This server process, as it appears in `training_jobs.owner`. */
  owner: string;
  datasets: DatasetSource;
  registry: RegistryService;
  /** Where a job that succeeded unregistered keeps its model (the registry's store). */
  artifacts: ArtifactStore;
  audit: AuditService;
  deploy: TrainedVersionDeployer | undefined;
  launch: WorkerLauncher;
  threadsPerJob: number;
  maxWorkerMemoryMb: number;
  heartbeatMs: number;
}

/** Why a worker was stopped from outside. */
type StopReason = 'cancel' | 'shutdown' | 'lost';

interface ActiveJob {
  worker: TrainingWorker | null;
  stopping: StopReason | null;
  checkpoint: CheckpointCopy;
}

/**
 * Runs jobs this process claimed: one worker each, its reports written to the job's row and
 * journal, a heartbeat that keeps the claim (and learns of a cancel asked on another replica), and
 * on success registration and deployment. The row ends in exactly one final state.
 */
export function createJobRunner(deps: JobRunnerDeps) {
  const { repo, journal, clock, log, owner } = deps;
  const active = new Map<string, ActiveJob>();
  const now = () => clock.now().toISOString();

  function stop(jobId: string, reason: StopReason): void {
    const job = active.get(jobId);
    if (!job || job.stopping) return;
    job.stopping = reason;
    void job.worker?.stop();
  }

  async function run(jobId: string): Promise<void> {
    const row = await repo.findById(jobId);
    if (!row || row.owner !== owner) return;
    const checkpoint = createCheckpointCopy({
      repo,
      clock,
      log,
      jobId,
      workDir: jobDir(deps.dataDir, jobId),
    });
    const job: ActiveJob = { worker: null, stopping: null, checkpoint };
    active.set(jobId, job);
    const progress = new ProgressWriter(deps, row);
    const beat = setInterval(() => void heartbeat(jobId), deps.heartbeatMs);
    try {
      // Its cancel came while the server that ran it died.
      if (row.cancel_requested === 1) return await finishCancelled(row, progress);
      await journal.append(jobId, { type: 'state', state: 'running' });
      const outcome = await train(row, job, progress);
      await progress.flushed();
      await settle(row, job, progress, outcome);
    } catch (err) {
      await progress.flushed().catch(() => undefined);
      await finishFailed(row, progress, failureOf(err, log, jobId));
    } finally {
      clearInterval(beat);
      active.delete(jobId);
    }
  }

  async function train(row: JobRow, job: ActiveJob, progress: ProgressWriter) {
    const request = JSON.parse(row.spec) as StoredJobRequest;
    const resume = row.attempts > 1;
    if (resume) {
      await journal.log(row.id, 'info', `resuming (attempt ${row.attempts}) from the last checkpoint`);
      await job.checkpoint.restore();
    }
    await progress.phase('preparing');
    const dataset = await deps.datasets.locate(jobPrincipal(row), row.dataset_id);
    const worker = deps.launch(
      {
        jobId: row.id,
        spec: trainingSpecOf(request),
        dataset: { path: dataset.path, format: dataset.format },
        workDir: jobDir(deps.dataDir, row.id),
        resume,
        threads: deps.threadsPerJob,
        maxMemoryMb: deps.maxWorkerMemoryMb,
      },
      (report) => progress.report(report),
    );
    job.worker = worker;
    // A cancel that came while the dataset was located.
    if (job.stopping) void worker.stop();
    return { outcome: await worker.done, dataset, request };
  }

  async function settle(
    row: JobRow,
    job: ActiveJob,
    progress: ProgressWriter,
    { outcome, dataset, request }: Awaited<ReturnType<typeof train>>,
  ): Promise<void> {
    if (job.stopping === 'cancel') return finishCancelled(row, progress);
    if (job.stopping === 'shutdown') {
      await job.checkpoint.sync();
      return requeue(row, progress);
    }
    if (job.stopping === 'lost' || outcome.kind === 'stopped') {
      log.warn({ job: row.id }, 'training job taken over by another server; this run stops');
      return;
    }
    if (outcome.kind === 'failed') return finishFailed(row, progress, outcome.error);
    const trained = outcome.model;
    if (!trained.parity.passed) return finishFailed(row, progress, parityFailure(trained));
    const p = jobPrincipal(row);
    let version: { version: number; sha256: string } | null = null;
    if (request.register) {
      await progress.phase('registering');
      version = await registerTrainedVersion(deps, p, {
        jobId: row.id,
        modelName: row.model_name,
        spec: trainingSpecOf(request),
        dataset,
        trained,
      });
      await journal.log(row.id, 'info', `registered ${row.model_name}:${version.version}`);
    }
    let deployment: TrainingResult['deployment'] = null;
    if (request.deploy && version && deps.deploy) {
      await progress.phase('deploying');
      const model = { name: row.model_name, task: trained.serving.task, version: version.version };
      deployment = await deps.deploy(p, model, request.deploy, row.id);
      await journal.log(row.id, 'info', `deployed as '${deployment.name}' (${deployment.mode})`);
    }
    // Unregistered, the model is kept so that it can be registered later.
    const kept = version
      ? null
      : await keep(trained, dataset).catch((err: unknown) => {
          log.warn({ err, job: row.id }, 'could not keep the trained model; it cannot be registered later');
          return null;
        });
    await finish(row, progress, 'succeeded', {
      result: resultOf(row, trained, version, deployment),
      kept,
    });
  }

  async function keep(trained: TrainedModel, dataset: LocatedDataset): Promise<KeptModel> {
    const kept = await keepTrainedModel(deps.artifacts, trained, dataset);
    await repo.insertArtifact({
      sha256: kept.sha256,
      format: 'onnx',
      size_bytes: kept.sizeBytes,
      uri: kept.uri,
      created_at: now(),
    });
    return kept;
  }

  async function finish(
    row: JobRow,
    progress: ProgressWriter,
    state: 'succeeded' | 'failed' | 'cancelled',
    fields: { result?: TrainingResult; error?: JobFailure; kept?: KeptModel | null },
  ): Promise<void> {
    const at = now();
    const held = await repo.updateOwned(row.id, owner, {
      kept_sha256: fields.kept?.sha256 ?? null,
      kept: fields.kept ? JSON.stringify(fields.kept) : null,
      state,
      progress: JSON.stringify(progress.final(state, fields.result?.metric)),
      result: fields.result ? JSON.stringify(fields.result) : null,
      error: fields.error ? JSON.stringify(fields.error) : null,
      heartbeat_at: null,
      finished_at: at,
      updated_at: at,
    });
    if (!held) return;
    await repo.deleteCheckpoint(row.id);
    if (fields.result) await journal.append(row.id, { type: 'result', result: fields.result });
    await journal.append(row.id, { type: 'state', state, error: fields.error ?? null });
    await removeJobFiles(deps.dataDir, row.id).catch((err: unknown) =>
      log.warn({ err, job: row.id }, 'could not remove the files of a training job'),
    );
  }

  const finishCancelled = (row: JobRow, progress: ProgressWriter) => finish(row, progress, 'cancelled', {});
  async function finishFailed(row: JobRow, progress: ProgressWriter, error: JobFailure): Promise<void> {
    await journal.log(row.id, 'error', `${error.code}: ${error.message}`);
    await finish(row, progress, 'failed', { error });
  }

  /** A server that stops hands its jobs back; the next start (or another replica) resumes them. */
  async function requeue(row: JobRow, progress: ProgressWriter): Promise<void> {
    const held = await repo.updateOwned(row.id, owner, {
      state: 'queued',
      owner: null,
      heartbeat_at: null,
      progress: JSON.stringify(progress.requeued()),
      updated_at: now(),
    });
    if (!held) return;
    await journal.log(row.id, 'warn', 'the server stopped; the job resumes from its last checkpoint');
    await journal.append(row.id, { type: 'state', state: 'queued' });
  }

  async function heartbeat(jobId: string): Promise<void> {
    try {
      const held = await repo.updateOwned(jobId, owner, { heartbeat_at: now() });
      if (!held) return stop(jobId, 'lost');
      await active.get(jobId)?.checkpoint.sync();
      if (await repo.cancelRequested(jobId)) stop(jobId, 'cancel');
    } catch (err) {
      log.warn({ err, job: jobId }, 'training heartbeat failed');
    }
  }

  return {
    run,
    /** Stops the job's worker if it runs here; true when it did. */
    cancel(jobId: string): boolean {
      if (!active.has(jobId)) return false;
      stop(jobId, 'cancel');
      return true;
    },
    /** Stops every worker and hands the jobs back (state `queued`) for the next start to resume. */
    stopAll(): void {
      for (const jobId of active.keys()) stop(jobId, 'shutdown');
    },
    get activeCount(): number {
      return active.size;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;

function parityFailure(trained: TrainedModel): JobFailure {
  const { parity } = trained;
  return {
    code: 'export_parity_failed',
    message: `The ONNX export differs from the trained model by up to ${parity.maxAbsDiff} on ${parity.rows} validation rows (tolerance ${parity.tolerance}).`,
    param: null,
    details: parity,
  };
}

function resultOf(
  row: JobRow,
  trained: TrainedModel,
  version: { version: number; sha256: string } | null,
  deployment: TrainingResult['deployment'],
): TrainingResult {
  return {
    ...trained.scores,
    parity: trained.parity,
    model: row.model_name,
    version: version?.version ?? null,
    sha256: version?.sha256 ?? null,
    deployment,
  };
}
