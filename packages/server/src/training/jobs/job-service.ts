import {
  type CreateTrainingJobRequest,
  createTrainingJobRequest,
  type EpochMetrics,
  type ModelTask,
  type ModelVersion,
  type RegisterTrainingJobRequest,
  type TrainingJob,
  type TrainingJobListQuery,
  type TrainingJobRequest,
  type TrainingLogLine,
  type TrainingProgress,
  trainingJobListQuery,
} from '@modelport/contracts';
import type { AuditService } from '../../audit/index.js';
import { mayUseModel, type Principal } from '../../auth/index.js';
import { AppError, isAppError, zodIssueError } from '../../platform/errors/index.js';
import { type Clock, newId } from '../../platform/index.js';
import type { ArtifactStore, RegistryService } from '../../registry/index.js';
import { checkAgainstDataset } from './check-against-dataset.js';
import { removeJobFiles } from './job-files.js';
import type { JobJournal } from './job-journal.js';
import type { DatasetShape, DatasetSource } from './job-ports.js';
import { finishedStates, type JobRepo, type JobRow } from './job-repo.js';
import type { JobRunner } from './job-runner.js';
import type { JobScheduler } from './job-scheduler.js';
import { toTrainingJob } from './job-view.js';
import { registerKeptModel } from './register-kept-model.js';

export interface TrainingJobServiceDeps {
  repo: JobRepo;
  journal: JobJournal;
  clock: Clock;
  dataDir: string;
  datasets: DatasetSource;
  registry: RegistryService;
  artifacts: ArtifactStore;
  audit: AuditService;
  runner: JobRunner;
  scheduler: JobScheduler;
}

/** More epochs than the spec allows never exist; this bounds one job's view. */
const MAX_EPOCH_EVENTS = 1000;
const MAX_LOG_LINES = 10_000;

export function createTrainingJobService(deps: TrainingJobServiceDeps) {
  const { repo, journal, clock } = deps;

  /** Another project's job looks exactly like a missing one. */
  async function requireJob(p: Principal, id: string): Promise<JobRow> {
    const row = id.length <= 100 ? await repo.find(p.projectId, id) : undefined;
    if (!row) throw new AppError('training_job_not_found', `Training job '${id}' does not exist.`);
    return row;
  }

  async function view(row: JobRow): Promise<TrainingJob> {
    const rows = await repo.events(row.id, { limit: MAX_EPOCH_EVENTS, types: ['epoch'] });
    // An epoch run again after a restart (stopped before its checkpoint) replaces the first run.
    const byNumber = new Map<number, EpochMetrics>();
    for (const r of rows) {
      const { epoch } = JSON.parse(r.data) as { epoch: EpochMetrics };
      byNumber.set(epoch.epoch, epoch);
    }
    return toTrainingJob(
      row,
      [...byNumber.values()].sort((a, b) => a.epoch - b.epoch),
    );
  }

  /** A model of that name must be one the key may use, and train the dataset's kind of task. */
  async function checkModel(p: Principal, name: string, task: ModelTask): Promise<void> {
    if (!mayUseModel(p, name)) throw new AppError('model_not_found', `Model '${name}' does not exist.`);
    try {
      const model = await deps.registry.getModel(p, name);
      if (model.task !== task)
        throw new AppError(
          'validation_failed',
          `Invalid training job, name: model '${name}' has task '${model.task}'; this dataset trains a ${task} model.`,
          { param: 'name' },
        );
    } catch (err) {
      if (!isAppError(err) || err.code !== 'model_not_found') throw err;
    }
  }

  return {
    requireJob,

    async create(p: Principal, input: CreateTrainingJobRequest): Promise<TrainingJob> {
      const parsed = createTrainingJobRequest.safeParse(input);
      if (!parsed.success) throw zodIssueError(parsed.error, 'training job');
      const req = parsed.data;
      const dataset = await deps.datasets.locate(p, req.datasetId);
      checkAgainstDataset(req, dataset.schema);
      const metric = metricOf(req, dataset.schema);
      await checkModel(p, req.name, dataset.schema.kind === 'images' ? 'image-classification' : 'tabular');
      const now = clock.now().toISOString();
      const progress: TrainingProgress = {
        phase: 'queued',
        metric,
        epoch: 0,
        epochs: req.epochs,
        fraction: 0,
      };
      const row: JobRow = {
        id: newId('trn'),
        project_id: p.projectId,
        created_by: p.keyId,
        model_name: req.name,
        dataset_id: dataset.id,
        spec: JSON.stringify(req),
        state: 'queued',
        progress: JSON.stringify(progress),
        result: null,
        error: null,
        cancel_requested: 0,
        attempts: 0,
        owner: null,
        heartbeat_at: null,
        created_at: now,
        updated_at: now,
        started_at: null,
        finished_at: null,
        kept_sha256: null,
        kept: null,
      };
      await repo.insert(row);
      await journal.append(row.id, { type: 'state', state: 'queued' });
      await deps.scheduler.enqueue(row.id);
      return view(row);
    },

    async list(p: Principal, input: TrainingJobListQuery): Promise<TrainingJob[]> {
      const query = trainingJobListQuery.parse(input);
      const rows = await repo.list(p.projectId, { limit: query.limit, state: query.state });
      return Promise.all(rows.map(view));
    },

    async get(p: Principal, id: string): Promise<TrainingJob> {
      return view(await requireJob(p, id));
    },

    /**
     * A waiting job is cancelled at once; a running one once its worker is stopped (here, or by the
     * replica running it at its next heartbeat). Cancelling a cancelled job changes nothing.
     */
    async cancel(p: Principal, id: string): Promise<TrainingJob> {
      const row = await requireJob(p, id);
      if (row.state === 'cancelled') return view(row);
      if (finishedStates.includes(row.state))
        throw new AppError('training_job_finished', `Training job '${id}' has already ${row.state}.`);
      const { cancelledWaiting } = await repo.requestCancel(id, clock.now().toISOString());
      if (cancelledWaiting) {
        await journal.append(id, { type: 'state', state: 'cancelled', error: null });
        // A job handed back by a stopped server still holds its checkpoints.
        await removeJobFiles(deps.dataDir, id);
        await repo.deleteCheckpoint(id);
      } else {
        deps.runner.cancel(id);
      }
      return view(await requireJob(p, id));
    },

    /** Registers the model a job that succeeded unregistered kept (409s say why it cannot). */
    async register(p: Principal, id: string, body: RegisterTrainingJobRequest): Promise<ModelVersion> {
      return registerKeptModel(deps, p, await requireJob(p, id), body);
    },

    async logs(p: Principal, id: string): Promise<TrainingLogLine[]> {
      const row = await requireJob(p, id);
      const rows = await repo.events(row.id, { limit: MAX_LOG_LINES, types: ['log'] });
      return rows.map((r) => {
        const data = JSON.parse(r.data) as Pick<TrainingLogLine, 'level' | 'message'>;
        return { seq: r.seq, at: r.created_at, level: data.level, message: data.message };
      });
    },
  };
}

/** The metric the epochs report, when the spec or the dataset already says the task. */
function metricOf(req: TrainingJobRequest, shape: DatasetShape): TrainingProgress['metric'] {
  if (req.task !== undefined) return req.task === 'regression' ? 'mae' : 'accuracy';
  if (shape.kind === 'images') return 'accuracy';
  const target = shape.columns.find((c) => c.name === req.target);
  // A number target is a classification only with few distinct integers: known once training starts.
  return target?.type === 'string' ? 'accuracy' : null;
}

export type TrainingJobService = ReturnType<typeof createTrainingJobService>;
