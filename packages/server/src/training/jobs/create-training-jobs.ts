import os from 'node:os';
import type { Kysely } from 'kysely';
import type { AuditService } from '../../audit/index.js';
import { trainingSlots } from '../../engine/index.js';
import type { Database } from '../../platform/db/index.js';
import { type Clock, type Logger, randomBase62 } from '../../platform/index.js';
import type { ArtifactStore, RegistryService } from '../../registry/index.js';
import { createJobJournal, type JobJournal } from './job-journal.js';
import type { DatasetSource, TrainedVersionDeployer } from './job-ports.js';
import { createJobRepo, type JobRepo } from './job-repo.js';
import { createJobRunner } from './job-runner.js';
import { HEARTBEAT_MS, type JobScheduler } from './job-scheduler.js';
import { createTrainingJobService, type TrainingJobService } from './job-service.js';
import { createLocalScheduler } from './local-scheduler.js';
import { createPgBossScheduler } from './pg-boss-scheduler.js';
import type { WorkerLauncher } from './worker-port.js';

export interface TrainingSettings {
  queue: 'local' | 'pg-boss';
  concurrency?: number | undefined;
  threadsPerJob: number;
  maxWorkerMemoryMb: number;
}

export interface TrainingJobsDeps {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  databaseUrl: string | undefined;
  dataDir: string;
  settings: TrainingSettings;
  clock: Clock;
  log: Logger;
  registry: RegistryService;
  artifacts: ArtifactStore;
  audit: AuditService;
  datasets: DatasetSource;
  deploy: TrainedVersionDeployer | undefined;
  launch: WorkerLauncher;
}

export interface TrainingJobs {
  service: TrainingJobService;
  repo: JobRepo;
  journal: JobJournal;
  scheduler: JobScheduler;
  clock: Clock;
  /** This process as `training_jobs.owner` names it. */
  owner: string;
  /** Jobs training at once in this process. */
  concurrency: number;
}

/** The training jobs of one server process: store, runner, queue (local or pg-boss) and service. */
export function createTrainingJobs(deps: TrainingJobsDeps): TrainingJobs {
  const { settings, clock, log } = deps;
  const repo = createJobRepo(deps.db);
  const journal = createJobJournal(repo, clock);
  const owner = `${os.hostname()}:${process.pid}:${randomBase62(6)}`;
  const concurrency = settings.concurrency ?? trainingSlots(settings.threadsPerJob);
  const runner = createJobRunner({
    repo,
    journal,
    clock,
    log,
    dataDir: deps.dataDir,
    owner,
    datasets: deps.datasets,
    registry: deps.registry,
    artifacts: deps.artifacts,
    audit: deps.audit,
    deploy: deps.deploy,
    launch: deps.launch,
    threadsPerJob: settings.threadsPerJob,
    maxWorkerMemoryMb: settings.maxWorkerMemoryMb,
    heartbeatMs: HEARTBEAT_MS,
  });
  const common = { repo, runner, clock, log, owner, concurrency };
  const scheduler =
    settings.queue === 'pg-boss' && deps.databaseUrl
      ? createPgBossScheduler({ ...common, databaseUrl: deps.databaseUrl })
      : createLocalScheduler({ ...common, exclusiveStore: deps.dialect === 'sqlite' });
  const service = createTrainingJobService({
    repo,
    journal,
    clock,
    dataDir: deps.dataDir,
    datasets: deps.datasets,
    registry: deps.registry,
    artifacts: deps.artifacts,
    audit: deps.audit,
    runner,
    scheduler,
  });
  return { service, repo, journal, scheduler, clock, owner, concurrency };
}
