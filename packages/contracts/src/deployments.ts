import { z } from 'zod';
import { autoscalingSchema, variantScaleSchema } from './autoscaling.js';
import { failoverSchema, failoverStatusSchema, fallbacksSchema } from './failover.js';
import { nameSchema } from './names.js';
import { rolloutSchema } from './rollouts.js';
import { setVariantsRequest, variantSchema } from './variants.js';

// Requests refuse unknown fields: a misspelt setting must fail, not silently keep its default.

export const batchingSchema = z.strictObject({
  maxBatchSize: z.number().int().min(1).max(1024).default(1),
  maxQueueDelayMs: z.number().min(0).max(10_000).default(0),
  preferredBatchSizes: z.array(z.number().int().min(1).max(1024)).max(16).optional(),
});

/** Language models (GGUF): context size, parallel sequences, batch size. */
const llmSettingsSchema = z.strictObject({
  contextSize: z.number().int().min(16).max(1_048_576).optional(),
  /** Sequences decoded together in one context (continuous batching). */
  parallel: z.number().int().min(1).max(64).default(4),
  batchSize: z.number().int().min(1).max(65_536).optional(),
});

/**
 * Backend options. The ONNX runner's execution providers (by name, or an object with a `name` and
 * the provider's own settings, which onnxruntime reads); language models take theirs from `llm`.
 */
const backendOptionsSchema = z.strictObject({
  executionProviders: z
    .array(z.union([z.string().min(1), z.looseObject({ name: z.string().min(1) })]))
    .min(1)
    .max(8)
    .optional(),
});

export const deploymentSettingsSchema = z.strictObject({
  instances: z.number().int().min(1).max(64).default(1),
  /** Intra-op threads per instance; default from the CPU budget. */
  threads: z.number().int().min(1).max(256).optional(),
  batching: batchingSchema.prefault({}),
  maxQueueSize: z.number().int().min(1).max(100_000).default(256),
  timeoutMs: z.number().int().min(1).max(3_600_000).default(30_000),
  llm: llmSettingsSchema.prefault({}),
  /** Backend options, e.g. `{"executionProviders":["cpu"]}`. */
  options: backendOptionsSchema.default({}),
  /**
   * Where each instance runs: a runner process of its own (default), or a worker thread of the API
   * process, which saves the process hop but shares its fate (docs/runner-protocol.md).
   */
  isolation: z.enum(['process', 'thread']).default('process'),
  /** Scale each variant with its load; without it, each variant keeps its `instances`. */
  autoscaling: autoscalingSchema.optional(),
  /** Deployments of the project that answer, in order, what this one fails before answering. */
  fallbacks: fallbacksSchema.optional(),
  /** How failures cool this deployment down in failover chains; defaults when absent. */
  failover: failoverSchema.optional(),
});
export type DeploymentSettings = z.infer<typeof deploymentSettingsSchema>;

/**
 * Settings in a response (and as stored) drop unknown fields: one a newer server adds does not
 * break an older client, and one a later version removes does not stop a server from starting.
 */
export const deploymentSettingsView = deploymentSettingsSchema
  .extend({
    batching: batchingSchema.strip().prefault({}),
    llm: llmSettingsSchema.strip().prefault({}),
    // As stored, even keys an older server accepted.
    options: z.record(z.string(), z.unknown()).default({}),
    failover: failoverSchema.strip().optional(),
  })
  .strip();

export const createDeploymentRequest = deploymentSettingsSchema
  .extend({
    /** Defaults to the model's name. */
    name: nameSchema.optional(),
    model: nameSchema,
    /** A version number or an alias; default: the latest version. */
    version: z.union([z.number().int().min(1), nameSchema]).optional(),
    /**
     * Revision 1's variants, as `PUT …/variants` takes them (SageMaker's CreateEndpointConfig);
     * default: one variant `default` of `version`. Each variant's `instances` sizes its pool.
     */
    variants: setVariantsRequest.shape.variants.optional(),
  })
  .refine((r) => r.version === undefined || r.variants === undefined, {
    path: ['version'],
    message: 'cannot be given with variants: each variant names its modelVersion',
  });
export type CreateDeploymentRequest = z.input<typeof createDeploymentRequest>;

/**
 * Swap to another version (zero downtime) or change settings. `fallbacks` and `failover` alone
 * change routing only: no new revision, no runner restarted.
 */
export const updateDeploymentRequest = z.strictObject({
  version: z.union([z.number().int().min(1), nameSchema]).optional(),
  instances: z.number().int().min(1).max(64).optional(),
  /**
   * Replaces the autoscaling settings (`null`: fixed `instances` again). Like a version, it makes
   * revision N+1 whose pools start beside the old ones (Knative does the same for its annotations).
   */
  autoscaling: autoscalingSchema.nullable().optional(),
  /** Replaces the list; `[]` removes every fallback. */
  fallbacks: fallbacksSchema.optional(),
  failover: failoverSchema.optional(),
});
export type UpdateDeploymentRequest = z.input<typeof updateDeploymentRequest>;

export const instanceSchema = z.object({
  version: z.number().int(),
  /** The variant whose pool the instance belongs to. */
  variant: z.string(),
  /** `next`: the revision a rollout is moving to, beside the current one. */
  fleet: z.enum(['current', 'next']),
  state: z.enum(['starting', 'ready', 'down', 'stopped']),
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  outstanding: z.number().int(),
  /** Resident memory measured (Linux), else the estimate from the artifact's size. */
  memoryBytes: z.number().int(),
});

/**
 * `ready`: an instance answers. `loading`: instances are starting (first start, or a request
 * reloading an unloaded deployment). `unloaded`: stopped to fit the memory budget; the next
 * request loads it again. `down`: no instance answers (restarting after a crash, or failed to load).
 */
export const deploymentStatusSchema = z.enum(['ready', 'loading', 'unloaded', 'down']);
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>;

export const deploymentSchema = z.object({
  name: z.string(),
  model: z.string(),
  version: z.number().int(),
  settings: deploymentSettingsView,
  /** The revision served now, and its variants (`version` is the heaviest production variant's). */
  revision: z.number().int(),
  variants: z.array(variantSchema),
  /** The rollout in progress to the next revision, if any. */
  rollout: rolloutSchema.nullable(),
  status: deploymentStatusSchema,
  ready: z.boolean(),
  /** Each variant's pool: instances now and wanted, and the scaler's last decision. */
  scaling: z.array(variantScaleSchema),
  /** Whether failover chains skip this deployment now (docs/failover.md). */
  failover: failoverStatusSchema,
  instances: z.array(instanceSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

export const deploymentListSchema = z.object({ data: z.array(deploymentSchema) });
