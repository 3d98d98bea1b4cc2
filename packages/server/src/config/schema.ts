import os from 'node:os';
import { z } from 'zod';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Share of the machine's memory runner instances may hold when no budget is set. */
export const DEFAULT_MEMORY_BUDGET_SHARE = 0.75;

const boolFromString = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((s) => ['true', '1', 'yes'].includes(s)),
]);

/** Every setting Modelport reads, with its default. Nothing outside config/ reads process.env. */
export const configSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    dataDir: z.string().min(1).default('./data'),
    /** PostgreSQL URL; when absent the store is SQLite at `<dataDir>/modelport.db`. */
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    /** Bootstrap admin key; must be a well-formed Modelport key (`modelport keys generate`). */
    adminKey: z.string().min(1).optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `auto`: readable lines when stdout is a terminal, JSON lines otherwise; `json` or `pretty` always. */
    logFormat: z.enum(['auto', 'json', 'pretty']).default('auto'),
    limits: z
      .object({
        /** JSON bodies of management routes. */
        maxJsonBodyBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(1024 * 1024),
        /** One inference request body (JSON or binary tensors). */
        maxInferBodyBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(64 * 1024 * 1024),
        /** One uploaded artifact (file or tar). */
        maxArtifactBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(64 * GIB),
        /** Idle time before an upload that stopped sending is dropped. */
        uploadIdleTimeoutMs: z.coerce.number().int().positive().default(60_000),
        /** Ledger rows waiting for their commit; past it, model requests get 503 before any work. */
        maxLedgerBacklog: z.coerce.number().int().positive().default(10_000),
        /**
         * Memory every runner instance of this process may hold together; starting past it unloads
         * the least recently used idle deployments first.
         */
        memoryBudgetBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(() => Math.floor(os.totalmem() * DEFAULT_MEMORY_BUDGET_SHARE)),
      })
      .prefault({}),
    /**
     * Uploaded datasets (docs/datasets.md). A table is held in memory whole when it is read (at upload
     * for its schema, and by training), so rows and cells are bounded as well as bytes.
     */
    datasets: z
      .object({
        /** One uploaded file, and an image archive once unpacked. */
        maxBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(512 * MIB),
        maxRows: z.coerce.number().int().positive().default(1_000_000),
        maxColumns: z.coerce.number().int().positive().default(1_000),
        /** Rows × columns of a table. */
        maxCells: z.coerce.number().int().positive().default(20_000_000),
        maxImages: z.coerce.number().int().positive().default(100_000),
        /** Width × height of one image. */
        maxImagePixels: z.coerce.number().int().positive().default(40_000_000),
      })
      .prefault({}),
    metrics: z.object({ public: boolFromString.default(false) }).prefault({}),
    /** Pulls from the Hugging Face Hub or a mirror of it (docs/hub.md). */
    hub: z
      .object({
        /** Base URL of the Hub or a mirror (`HF_ENDPOINT`). */
        endpoint: z
          .url({ protocol: /^https?$/ })
          .default('https://huggingface.co')
          .transform((url) => url.replace(/\/+$/, '')),
        /** Sent as `Authorization: Bearer` for gated and private repositories (`HF_TOKEN`). */
        token: z.string().min(1).optional(),
        /** Connecting, and each wait for the next bytes, before a try counts as failed. */
        timeoutMs: z.coerce.number().int().positive().default(30_000),
        /** Pulls downloading at once; the others wait in `queued`. */
        maxConcurrentPulls: z.coerce.number().int().min(1).max(16).default(2),
      })
      .prefault({}),
    ledger: z
      .object({
        /**
         * `commit`: a reply that reached a model is released only once its usage row is committed,
         * so a crash of the server never loses a row a caller saw (on SQLite the commit is in the
         * log the OS holds; power loss can lose the last commits). `fsync`: the same, and on SQLite
         * each commit is also flushed to disk before the reply. `async`: rows are committed in the
         * background (no wait on the reply; a crash loses the rows of the last moments).
         */
        durability: z.enum(['fsync', 'commit', 'async']).default('commit'),
      })
      .prefault({}),
    /**
     * Where artifacts live: the data folder (default), or an S3-compatible bucket (`url:
     * s3://bucket/prefix/`) that replicas share, each reading from its own bounded local cache.
     */
    artifacts: z
      .object({
        url: z
          .string()
          .regex(
            /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/,
            'must be s3://bucket or s3://bucket/prefix/',
          )
          .optional(),
        /** An S3-compatible endpoint (MinIO, Ceph, R2…); absent: AWS's for the region. */
        endpoint: z.url().optional(),
        region: z.string().min(1).default('us-east-1'),
        /** `bucket` in the path rather than the host name (most S3-compatible servers want it). */
        forcePathStyle: boolFromString.default(false),
        accessKeyId: z.string().min(1).optional(),
        secretAccessKey: z.string().min(1).optional(),
        /**
         * Encryption at rest: master keys (base64 of 32 bytes, comma-separated; the first seals new
         * artifacts, all open older ones), inline or in a file (one per line). docs/encryption.md.
         */
        encryptionKeys: z.string().min(1).optional(),
        encryptionKeyFile: z.string().min(1).optional(),
        /** Local copies of bucket (or sealed) artifacts; default `<dataDir>/artifact-cache`. */
        cacheDir: z.string().min(1).optional(),
        /** Bytes the local cache may hold (artifacts of live deployments are kept past it). */
        cacheMaxBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(50 * GIB),
      })
      .refine((a) => (a.accessKeyId === undefined) === (a.secretAccessKey === undefined), {
        message: 'accessKeyId and secretAccessKey come together',
        path: ['secretAccessKey'],
      })
      .prefault({}),
    /**
     * HTTPS: the certificate chain and private key (PEM files). Both or neither; read at start and
     * again on `reloadTls()` (`modelport serve` calls it on SIGHUP), so a renewed certificate needs
     * no restart.
     */
    tls: z
      .object({ certFile: z.string().min(1).optional(), keyFile: z.string().min(1).optional() })
      .refine((t) => (t.certFile === undefined) === (t.keyFile === undefined), {
        message: 'certFile and keyFile come together',
        path: ['keyFile'],
      })
      .prefault({}),
    /**
     * On shutdown, how long readiness answers 503 while the server still serves, before it stops
     * taking requests (so a load balancer's health checks take it out first); 0 behind
     * Kubernetes, whose `preStop` waits instead.
     */
    shutdownDelayMs: z.coerce.number().int().min(0).max(300_000).default(0),
    /**
     * A streaming OpenAI request held while its model starts from zero gets an SSE comment every
     * this long so idle timeouts of clients and proxies do not cut it; the first one comes sooner
     * (after at most 1 s) so the client sees the stream open early.
     */
    streamKeepAliveMs: z.coerce.number().int().min(100).max(60_000).default(5000),
    /** Redis for rate-limit counters shared by replicas; absent means in-process counters. */
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
    /** When Redis is unreachable: keep limiting with local counters, or refuse with 503. */
    rateLimitOnRedisDown: z.enum(['local', 'refuse']).default('local'),
    /**
     * Tensor bytes between this process and its runners: `auto` passes large ones (≥ 64 KiB)
     * through shared memory in /dev/shm when the host has it (Linux), `off` always uses the socket.
     */
    runnerSharedMemory: z.enum(['auto', 'off']).default('auto'),
    /**
     * Runner processes kept booted without a model, so a start (scale-up, cold start from zero,
     * restart) only loads its model; 0 turns them off. Each holds tens of MB outside the memory budget.
     */
    runnerSpares: z.coerce.number().int().min(0).max(8).default(1),
    /** GPU offload for language models: `auto` uses one when present (none on CPU-only hosts). */
    gpu: z.enum(['auto', 'off']).default('auto'),
    /** The web console at `/console/` (the static build of packages/console). */
    console: z.object({ enabled: boolFromString.default(true) }).prefault({}),
    training: z
      .object({
        /**
         * `local`: jobs wait in this process's queue and run here. `pg-boss`: jobs go through a
         * pg-boss queue in the PostgreSQL database (`databaseUrl`), and any replica with a free
         * slot takes the next one. Either way the job's row decides who runs it.
         */
        queue: z.enum(['local', 'pg-boss']).default('local'),
        /** Jobs training at once in this process; default from the CPU budget (cores − 1 over `threadsPerJob`). */
        concurrency: z.coerce.number().int().min(1).max(256).optional(),
        /** Threads one job's worker takes from the CPU budget (TensorFlow.js on WebAssembly runs one). */
        threadsPerJob: z.coerce.number().int().min(1).max(256).default(1),
        /** JavaScript heap of one worker process; past it the worker dies and its job fails. */
        maxWorkerMemoryMb: z.coerce.number().int().min(128).max(65_536).default(4096),
      })
      .prefault({}),
    demo: z
      .object({
        /** Register the built-in demo model on first start. */
        enabled: boolFromString.default(true),
        /** Folder of extra sample models registered by `modelport demo` / at start when present. */
        sharedModelsDir: z.string().optional(),
      })
      .prefault({}),
  })
  .strict()
  .refine((c) => c.training.queue !== 'pg-boss' || c.databaseUrl !== undefined, {
    path: ['training', 'queue'],
    message: 'pg-boss needs DATABASE_URL (a PostgreSQL database)',
  });

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
