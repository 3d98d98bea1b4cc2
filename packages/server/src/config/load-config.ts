import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { type Config, configSchema } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Environment variable → config path. */
const envMap: Record<string, string[]> = {
  MODELPORT_HOST: ['host'],
  MODELPORT_PORT: ['port'],
  MODELPORT_DATA_DIR: ['dataDir'],
  MODELPORT_ADMIN_KEY: ['adminKey'],
  DATABASE_URL: ['databaseUrl'],
  MODELPORT_LOG_LEVEL: ['logLevel'],
  MODELPORT_LOG_FORMAT: ['logFormat'],
  MODELPORT_MAX_JSON_BODY_BYTES: ['limits', 'maxJsonBodyBytes'],
  MODELPORT_MAX_ARTIFACT_BYTES: ['limits', 'maxArtifactBytes'],
  MODELPORT_MAX_INFER_BODY_BYTES: ['limits', 'maxInferBodyBytes'],
  MODELPORT_MAX_LEDGER_BACKLOG: ['limits', 'maxLedgerBacklog'],
  MODELPORT_MEMORY_BUDGET_BYTES: ['limits', 'memoryBudgetBytes'],
  MODELPORT_LEDGER_DURABILITY: ['ledger', 'durability'],
  MODELPORT_UPLOAD_IDLE_TIMEOUT_MS: ['limits', 'uploadIdleTimeoutMs'],
  MODELPORT_DATASET_MAX_BYTES: ['datasets', 'maxBytes'],
  MODELPORT_DATASET_MAX_ROWS: ['datasets', 'maxRows'],
  MODELPORT_DATASET_MAX_COLUMNS: ['datasets', 'maxColumns'],
  MODELPORT_DATASET_MAX_CELLS: ['datasets', 'maxCells'],
  MODELPORT_DATASET_MAX_IMAGES: ['datasets', 'maxImages'],
  MODELPORT_DATASET_MAX_IMAGE_PIXELS: ['datasets', 'maxImagePixels'],
  MODELPORT_METRICS_PUBLIC: ['metrics', 'public'],
  MODELPORT_GPU: ['gpu'],
  MODELPORT_RUNNER_SHARED_MEMORY: ['runnerSharedMemory'],
  MODELPORT_RUNNER_SPARES: ['runnerSpares'],
  MODELPORT_ARTIFACTS_URL: ['artifacts', 'url'],
  AWS_ENDPOINT_URL_S3: ['artifacts', 'endpoint'],
  AWS_REGION: ['artifacts', 'region'],
  MODELPORT_S3_FORCE_PATH_STYLE: ['artifacts', 'forcePathStyle'],
  // AWS_ACCESS_KEY_ID and friends are read by the SDK's own chain (session tokens, profiles, roles).
  MODELPORT_S3_ACCESS_KEY_ID: ['artifacts', 'accessKeyId'],
  MODELPORT_S3_SECRET_ACCESS_KEY: ['artifacts', 'secretAccessKey'],
  MODELPORT_ARTIFACT_KEYS: ['artifacts', 'encryptionKeys'],
  MODELPORT_ARTIFACT_KEY_FILE: ['artifacts', 'encryptionKeyFile'],
  MODELPORT_ARTIFACT_CACHE_DIR: ['artifacts', 'cacheDir'],
  MODELPORT_ARTIFACT_CACHE_BYTES: ['artifacts', 'cacheMaxBytes'],
  MODELPORT_TLS_CERT_FILE: ['tls', 'certFile'],
  MODELPORT_TLS_KEY_FILE: ['tls', 'keyFile'],
  MODELPORT_SHUTDOWN_DELAY_MS: ['shutdownDelayMs'],
  MODELPORT_STREAM_KEEPALIVE_MS: ['streamKeepAliveMs'],
  REDIS_URL: ['redisUrl'],
  MODELPORT_RATE_LIMIT_ON_REDIS_DOWN: ['rateLimitOnRedisDown'],
  MODELPORT_CONSOLE: ['console', 'enabled'],
  MODELPORT_TRAINING_QUEUE: ['training', 'queue'],
  MODELPORT_TRAINING_CONCURRENCY: ['training', 'concurrency'],
  MODELPORT_TRAINING_THREADS_PER_JOB: ['training', 'threadsPerJob'],
  MODELPORT_TRAINING_MAX_WORKER_MEMORY_MB: ['training', 'maxWorkerMemoryMb'],
  MODELPORT_DEMO: ['demo', 'enabled'],
  MODELPORT_SHARED_MODELS_DIR: ['demo', 'sharedModelsDir'],
  HF_ENDPOINT: ['hub', 'endpoint'],
  HF_TOKEN: ['hub', 'token'],
  MODELPORT_HUB_TIMEOUT_MS: ['hub', 'timeoutMs'],
  MODELPORT_MAX_CONCURRENT_PULLS: ['hub', 'maxConcurrentPulls'],
};

export const configEnvVars = Object.keys(envMap);

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Highest precedence, e.g. from `modelport serve --port`. */
  overrides?: Record<string, unknown>;
}

/** Defaults < file (`MODELPORT_CONFIG` or ./modelport.yaml|json) < environment < overrides. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];
  const raw = readConfigFile(env, cwd, problems);
  for (const [name, keyPath] of Object.entries(envMap)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, keyPath, value);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) setPath(raw, key.split('.'), value);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) problems.push(...formatIssues(parsed.error));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const { dataDir, demo } = parsed.data;
  return {
    ...parsed.data,
    dataDir: path.resolve(cwd, dataDir),
    demo: { ...demo, sharedModelsDir: path.resolve(cwd, demo.sharedModelsDir ?? '../shared/models') },
  };
}

function readConfigFile(
  env: Record<string, string | undefined>,
  cwd: string,
  problems: string[],
): Record<string, unknown> {
  const explicit = env.MODELPORT_CONFIG;
  const candidates = explicit
    ? [path.resolve(cwd, explicit)]
    : ['modelport.yaml', 'modelport.yml', 'modelport.json'].map((f) => path.join(cwd, f));
  const file = candidates.find((f) => existsSync(f));
  if (!file) {
    if (explicit) problems.push(`MODELPORT_CONFIG: file not found: ${explicit}`);
    return {};
  }
  try {
    const text = readFileSync(file, 'utf8');
    const data: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (data === null || data === undefined) return {};
    if (typeof data !== 'object' || Array.isArray(data)) {
      problems.push(`${file}: must hold an object`);
      return {};
    }
    return data as Record<string, unknown>;
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`);
    return {};
  }
}

function setPath(target: Record<string, unknown>, keyPath: string[], value: unknown): void {
  let node = target;
  for (const key of keyPath.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keyPath.at(-1);
  if (last !== undefined) node[last] = value;
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.join('.') || '(root)';
    const envName = Object.entries(envMap).find(([, p]) => p.join('.') === where)?.[0];
    return `${where}${envName ? ` (${envName})` : ''}: ${issue.message}`;
  });
}
