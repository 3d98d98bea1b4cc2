import {
  type CreateDeploymentRequest,
  createDeploymentRequest,
  type DeploymentSettings,
  type UpdateDeploymentRequest,
  updateDeploymentRequest,
} from '@modelport/contracts';
import { UsageError } from './cli-errors.js';
import { firstIssue } from './schema-issue.js';

export interface CreateDeploymentOptions {
  name?: string;
  version?: number | string;
  instances?: number;
  threads?: number;
  isolation?: 'process' | 'thread';
  maxBatchSize?: number;
  maxQueueDelayMs?: number;
  preferredBatchSizes?: number[];
  maxQueueSize?: number;
  timeoutMs?: number;
  contextSize?: number;
  parallel?: number;
  llmBatchSize?: number;
  options?: Record<string, unknown>;
  minInstances?: number;
  maxInstances?: number;
  targetConcurrency?: number;
  scaleToZeroAfter?: number;
  maxHeldRequests?: number;
  fallbacks?: string[];
}

export interface UpdateDeploymentOptions {
  version?: number | string;
  instances?: number;
  minInstances?: number;
  maxInstances?: number;
  targetConcurrency?: number;
  scaleToZeroAfter?: number;
  maxHeldRequests?: number;
  /** `false` from `--no-autoscaling`: fixed instances again. */
  autoscaling?: false;
  /** `false` from `--no-fallbacks`: the list emptied. */
  fallbacks?: string[] | false;
  failureThreshold?: number;
  failureWindow?: number;
  coolDown?: number;
}

/** Where a field of the request came from on the command line. */
const OPTION_OF = {
  model: '<model>',
  name: '--name',
  version: '--version',
  instances: '--instances',
  threads: '--threads',
  isolation: '--isolation',
  'batching.maxBatchSize': '--max-batch-size',
  'batching.maxQueueDelayMs': '--max-queue-delay-ms',
  'batching.preferredBatchSizes': '--preferred-batch-sizes',
  maxQueueSize: '--max-queue-size',
  timeoutMs: '--timeout-ms',
  'llm.contextSize': '--context-size',
  'llm.parallel': '--parallel',
  'llm.batchSize': '--llm-batch-size',
  options: '--options',
  'autoscaling.minInstances': '--min-instances',
  'autoscaling.maxInstances': '--max-instances',
  'autoscaling.targetConcurrency': '--target-concurrency',
  'autoscaling.scaleToZeroAfterSeconds': '--scale-to-zero-after',
  'autoscaling.maxHeldRequests': '--max-held-requests',
  fallbacks: '--fallbacks',
  'failover.failureThreshold': '--failure-threshold',
  'failover.failureWindowSeconds': '--failure-window',
  'failover.coolDownSeconds': '--cool-down',
};

/** Only the fields whose value is given: `{ a: 1, b: undefined }` → `{ a: 1 }`. */
function given<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Only groups with something in them, so the server's defaults stay the server's. */
function group<T extends Record<string, unknown>>(fields: T): Partial<T> | undefined {
  const kept = given(fields);
  return Object.keys(kept).length === 0 ? undefined : kept;
}

/**
 * The body of `deployments create`, holding only what was given, checked against the contract
 * first so a mistake (`--instances 100`, a bad name) is a usage error rather than a 400.
 */
export function createDeploymentRequestFrom(
  model: string,
  opts: CreateDeploymentOptions,
): CreateDeploymentRequest {
  const request = given({
    model,
    name: opts.name,
    version: opts.version,
    instances: opts.instances,
    threads: opts.threads,
    isolation: opts.isolation,
    batching: group({
      maxBatchSize: opts.maxBatchSize,
      maxQueueDelayMs: opts.maxQueueDelayMs,
      preferredBatchSizes: opts.preferredBatchSizes,
    }),
    maxQueueSize: opts.maxQueueSize,
    timeoutMs: opts.timeoutMs,
    llm: group({ contextSize: opts.contextSize, parallel: opts.parallel, batchSize: opts.llmBatchSize }),
    options: opts.options,
    autoscaling: group({
      minInstances: opts.minInstances,
      maxInstances: opts.maxInstances,
      targetConcurrency: opts.targetConcurrency,
      scaleToZeroAfterSeconds: opts.scaleToZeroAfter,
      maxHeldRequests: opts.maxHeldRequests,
    }),
    fallbacks: opts.fallbacks,
  }) as CreateDeploymentRequest;
  const checked = createDeploymentRequest.safeParse(request);
  if (!checked.success) throw new UsageError(firstIssue(checked.error, OPTION_OF));
  return request;
}

/**
 * The body of `deployments update`. Autoscaling and failover flags change only the fields given:
 * they are laid over the deployment's `current` settings, since the server replaces each group whole.
 */
export function updateDeploymentRequestFrom(
  opts: UpdateDeploymentOptions,
  current: Pick<DeploymentSettings, 'autoscaling' | 'failover'> = {},
): UpdateDeploymentRequest {
  const scaling = group({
    minInstances: opts.minInstances,
    maxInstances: opts.maxInstances,
    targetConcurrency: opts.targetConcurrency,
    scaleToZeroAfterSeconds: opts.scaleToZeroAfter,
    maxHeldRequests: opts.maxHeldRequests,
  });
  if (scaling && opts.autoscaling === false)
    throw new UsageError('--no-autoscaling cannot be given with autoscaling options');
  const failover = group({
    failureThreshold: opts.failureThreshold,
    failureWindowSeconds: opts.failureWindow,
    coolDownSeconds: opts.coolDown,
  });
  const request = given({
    version: opts.version,
    instances: opts.instances,
    autoscaling: opts.autoscaling === false ? null : scaling && { ...current.autoscaling, ...scaling },
    fallbacks: opts.fallbacks === false ? [] : opts.fallbacks,
    failover: failover && { ...current.failover, ...failover },
  }) as UpdateDeploymentRequest;
  if (Object.keys(request).length === 0) {
    throw new UsageError(
      'nothing to change: pass --version, --instances, autoscaling, fallback or failover options',
    );
  }
  const checked = updateDeploymentRequest.safeParse(request);
  if (!checked.success) throw new UsageError(firstIssue(checked.error, OPTION_OF));
  return request;
}

/** Whether the update lays flags over the current settings (the CLI reads them first). */
export function needsCurrentSettings(opts: UpdateDeploymentOptions): boolean {
  const layered = [
    opts.minInstances,
    opts.maxInstances,
    opts.targetConcurrency,
    opts.scaleToZeroAfter,
    opts.maxHeldRequests,
    opts.failureThreshold,
    opts.failureWindow,
    opts.coolDown,
  ];
  return layered.some((v) => v !== undefined);
}
