import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { type AuditService, createAuditRepo, createAuditService } from '../audit/index.js';
import { createKeyRepo, createKeyService, KeyCache, type KeyService } from '../auth/index.js';
import type { Config } from '../config/index.js';
import { createDatasetRepo, createDatasetService, type DatasetService } from '../datasets/index.js';
import {
  announcingDeploymentRepo,
  announcingRolloutRepo,
  createDeploymentRepo,
  createDeploymentService,
  createReplicaSync,
  createRolloutMetrics,
  createRolloutRepo,
  createRolloutService,
  createShadowReports,
  type DeploymentService,
  type ReplicaSync,
  type RolloutService,
  type ShadowReports,
} from '../deploy/index.js';
import {
  Engine,
  localRunnerHosts,
  type RunnerHostFactory,
  RunnerSpares,
  SharedMemorySlots,
} from '../engine/index.js';
import { createMetrics, type Metrics } from '../observability/index.js';
import { createChangeNotices, openDatabase, type Store } from '../platform/db/index.js';
import { type Clock, createLogger, type Logger, systemClock } from '../platform/index.js';
import { createProjectRepo, createProjectService, type ProjectService } from '../projects/index.js';
import {
  type ArtifactStore,
  createArtifactStore,
  createHubClient,
  createPullRepo,
  createPullService,
  createRegistryRepo,
  createRegistryService,
  type PullService,
  type RegistryService,
} from '../registry/index.js';
import { createTrainingJobs, launchTraining, type TrainingJobs } from '../training/index.js';
import type { RateLimiter, UsageReportRepo } from '../usage/index.js';
import {
  type BudgetService,
  createBudgetRepo,
  createBudgetService,
  createLimiter,
  createPriceRepo,
  createPriceService,
  createUsageGateway,
  createUsageLedger,
  createUsageReportRepo,
  type PriceService,
  type UsageGateway,
  type UsageLedger,
} from '../usage/index.js';
import { trainedVersionDeployer } from './deploy-trained-version.js';
import { recordScaling } from './record-scaling.js';
import { trainingDatasets } from './training-datasets.js';

export interface Platform {
  config: Config;
  log: Logger;
  clock: Clock;
  store: Store;
  keys: KeyService;
  projects: ProjectService;
  audit: AuditService;
  registry: RegistryService;
  datasets: DatasetService;
  /** Pulls from the Hugging Face Hub into model versions. */
  pulls: PullService;
  deployments: DeploymentService;
  rollouts: RolloutService;
  /** Each shadow variant compared with production. */
  shadows: ShadowReports;
  engine: Engine;
  /** Follows what the other replicas on the same PostgreSQL change (started after restore). */
  replicas: ReplicaSync;
  /** Booted runner processes that instance starts take (closed after the engine). */
  spares: RunnerSpares;
  limiter: RateLimiter;
  metrics: Metrics;
  ledger: UsageLedger;
  prices: PriceService;
  budgets: BudgetService;
  usage: UsageGateway;
  usageReport: UsageReportRepo;
  /** Training jobs: their service, store, event journal and queue. */
  training: TrainingJobs;
}

export interface PlatformOptions {
  clock?: Clock;
  log?: Logger;
  /** Another artifact store than the one the configuration picks (tests: a fetch-to-cache store). */
  artifacts?: ArtifactStore;
  /** Where runner instances run; default: child processes of this process. */
  runnerHosts?: RunnerHostFactory;
  /** How often a running pull stores its progress (tests). */
  pullProgressEveryMs?: number;
}

/** Opens the store (running migrations) and wires the services; no HTTP yet. */
export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? createLogger(config.logLevel, { format: config.logFormat });
  const clock = options.clock ?? systemClock;
  const tmpDir = path.join(config.dataDir, 'tmp');
  // Leftovers of uploads cut short by a crash: nothing in tmp/ is referenced by the store.
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir, { recursive: true });
  const store = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqlitePath: path.join(config.dataDir, 'modelport.db'),
  });
  // One process writes a SQLite store, so its key rows may be cached (see KeyCache).
  const keyCache = store.dialect === 'sqlite' ? new KeyCache() : undefined;
  const keys = createKeyService(createKeyRepo(store.db), clock, keyCache ? { cache: keyCache } : {});
  const projects = createProjectService(createProjectRepo(store.db), clock);
  const audit = createAuditService({ repo: createAuditRepo(store.db), projects, clock });
  const deploymentRepo = createDeploymentRepo(store.db, { cacheFinds: store.dialect === 'sqlite' });
  const artifacts =
    options.artifacts ?? createArtifactStore({ dataDir: config.dataDir, artifacts: config.artifacts, log });
  const registry = createRegistryService({
    repo: createRegistryRepo(store.db),
    artifacts,
    clock,
    log,
    tmpDir,
    limits: config.limits,
    inUse: async (modelId) => (await deploymentRepo.countForModel(modelId)) > 0,
  });
  const datasets = createDatasetService({
    repo: createDatasetRepo(store.db),
    artifacts,
    clock,
    log,
    tmpDir,
    limits: { ...config.datasets, uploadIdleTimeoutMs: config.limits.uploadIdleTimeoutMs },
  });
  const pulls = createPullService({
    repo: createPullRepo(store.db),
    registry,
    hub: createHubClient({
      endpoint: config.hub.endpoint,
      token: config.hub.token,
      timeoutMs: config.hub.timeoutMs,
    }),
    audit,
    clock,
    log,
    pullsDir: path.join(config.dataDir, 'pulls'),
    maxArtifactBytes: config.limits.maxArtifactBytes,
    maxConcurrentPulls: config.hub.maxConcurrentPulls,
    ...(options.pullProgressEveryMs === undefined ? {} : { progressEveryMs: options.pullProgressEveryMs }),
  });
  const slots =
    config.runnerSharedMemory === 'auto'
      ? SharedMemorySlots.create({ maxSlots: 256, retainBytes: 16 * 2 ** 20 })
      : undefined;
  const spares = new RunnerSpares(options.runnerHosts ? 0 : config.runnerSpares, log);
  const engine = new Engine(log, {
    memoryBudgetBytes: config.limits.memoryBudgetBytes,
    slots,
    hosts: options.runnerHosts ?? localRunnerHosts(slots, spares),
  });
  const notices = createChangeNotices(store, config.databaseUrl, log);
  const storedRollouts = createRolloutRepo(store.db);
  // Replicas on one PostgreSQL follow each other's changes; a lone SQLite process has no one to tell.
  const shared = store.dialect === 'postgres';
  const replicas = createReplicaSync({
    shared,
    repo: deploymentRepo,
    registry,
    engine,
    rollouts: storedRollouts,
    notices,
    log,
    maxBodyBytes: config.limits.maxInferBodyBytes,
    gpu: config.gpu,
  });
  const servedRepo = shared ? announcingDeploymentRepo(deploymentRepo, replicas.announce) : deploymentRepo;
  const rolloutRepo = shared ? announcingRolloutRepo(storedRollouts, replicas.announce) : storedRollouts;
  const deployments = createDeploymentService({
    repo: servedRepo,
    ensureServed: shared ? replicas.ensureServed : undefined,
    registry,
    engine,
    clock,
    log,
    maxBodyBytes: config.limits.maxInferBodyBytes,
    gpu: config.gpu,
    rollouts: rolloutRepo,
  });
  const metrics = createMetrics();
  const rollouts = createRolloutService({
    deployments,
    repo: servedRepo,
    rollouts: rolloutRepo,
    registry,
    engine,
    audit,
    metrics: createRolloutMetrics(metrics.registry, engine),
    clock,
    log,
    maxBodyBytes: config.limits.maxInferBodyBytes,
    gpu: config.gpu,
  });
  deployments.onDelete((id) => rollouts.forget(id));
  replicas.setLocalRollouts(rollouts.runsHere);
  engine.autoscaler.onDecision((pool, decision) => {
    void recordScaling(deploymentRepo, audit, pool.plan, decision).catch((err: unknown) =>
      log.error({ err }, 'could not record a scaling decision'),
    );
  });
  const shadows = createShadowReports({ engine, deployments, registry: metrics.registry });
  const limiter = await createLimiter(config.redisUrl, config.rateLimitOnRedisDown, log);
  const ledger = createUsageLedger(store, config.dataDir, {
    maxBacklog: config.limits.maxLedgerBacklog,
    flushEachCommit: config.ledger.durability === 'fsync',
    log,
  });
  const prices = createPriceService({
    repo: createPriceRepo(store.db),
    clock,
    assertModel: async (p, model) => void (await registry.getModel(p, model)),
  });
  const budgets = createBudgetService(createBudgetRepo(store.db), clock);
  const training = createTrainingJobs({
    db: store.db,
    dialect: store.dialect,
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    settings: config.training,
    clock,
    log,
    registry,
    artifacts,
    audit,
    datasets: trainingDatasets(datasets),
    deploy: trainedVersionDeployer({ deployments, rollouts, audit }),
    launch: launchTraining,
  });
  return {
    training,
    ledger,
    prices,
    budgets,
    usage: createUsageGateway({
      limiter,
      ledger,
      prices,
      budgets,
      log,
      durability: config.ledger.durability,
    }),
    usageReport: createUsageReportRepo(store.db),
    config,
    log,
    clock,
    store,
    keys,
    projects,
    audit,
    registry,
    datasets,
    pulls,
    deployments,
    rollouts,
    shadows,
    engine,
    spares,
    replicas,
    limiter,
    metrics,
  };
}
