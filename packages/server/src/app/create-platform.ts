import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { createKeyRepo, createKeyService, type KeyService } from '../auth/index.js';
import type { Config } from '../config/index.js';
import { createDeploymentRepo, createDeploymentService, type DeploymentService } from '../deploy/index.js';
import { Engine } from '../engine/engine.js';
import { createMetrics, type Metrics } from '../observability/index.js';
import { type Clock, systemClock } from '../platform/clock.js';
import { openDatabase, type Store } from '../platform/db/index.js';
import { createLogger, type Logger } from '../platform/logger.js';
import {
  createLocalArtifactStore,
  createRegistryRepo,
  createRegistryService,
  type RegistryService,
} from '../registry/index.js';
import { createLimiter } from '../usage/create-limiter.js';
import type { RateLimiter } from '../usage/limiter/index.js';

export interface Platform {
  config: Config;
  log: Logger;
  clock: Clock;
  store: Store;
  keys: KeyService;
  registry: RegistryService;
  deployments: DeploymentService;
  engine: Engine;
  limiter: RateLimiter;
  metrics: Metrics;
}

export interface PlatformOptions {
  clock?: Clock;
  log?: Logger;
}

/** Opens the store (running migrations) and wires the services; no HTTP yet. */
export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const tmpDir = path.join(config.dataDir, 'tmp');
  // Leftovers of uploads cut short by a crash: nothing in tmp/ is referenced by the store.
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir, { recursive: true });
  const store = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqlitePath: path.join(config.dataDir, 'modelport.db'),
  });
  const keys = createKeyService(createKeyRepo(store.db), clock);
  const deploymentRepo = createDeploymentRepo(store.db);
  const registry = createRegistryService({
    repo: createRegistryRepo(store.db),
    artifacts: createLocalArtifactStore(path.join(config.dataDir, 'artifacts')),
    clock,
    log,
    tmpDir,
    limits: config.limits,
    inUse: async (modelId) => (await deploymentRepo.countForModel(modelId)) > 0,
  });
  const engine = new Engine(log);
  const deployments = createDeploymentService({
    repo: deploymentRepo,
    registry,
    engine,
    clock,
    log,
    maxBodyBytes: config.limits.maxInferBodyBytes,
    gpu: config.gpu,
  });
  const limiter = await createLimiter(config.redisUrl, config.rateLimitOnRedisDown, log);
  return {
    config,
    log,
    clock,
    store,
    keys,
    registry,
    deployments,
    engine,
    limiter,
    metrics: createMetrics(),
  };
}
