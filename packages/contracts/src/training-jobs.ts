import { z } from 'zod';
import { nameSchema } from './names.js';
import { guardrailsSchema, onInconclusiveSchema } from './rollouts.js';

/**
 * `queued` waits for a worker (and for threads of the CPU budget); `running` trains, evaluates,
 * exports and registers; the other three are final.
 */
export const trainingJobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const trainingJobStateSchema = z.enum(trainingJobStates);
export type TrainingJobState = z.infer<typeof trainingJobStateSchema>;

/** Where a running job is; a job resumed after a restart goes back to `training`. */
export const trainingPhases = [
  'queued',
  'preparing',
  'training',
  'evaluating',
  'exporting',
  'registering',
  'deploying',
  'done',
] as const;
export const trainingPhaseSchema = z.enum(trainingPhases);
export type TrainingPhase = z.infer<typeof trainingPhaseSchema>;

/** The canary a trained version is rolled out as (`POST /api/v1/deployments/{name}/rollouts`). */
export const trainingCanarySchema = z.strictObject({
  /** Share of the traffic the new version takes during the bake. */
  percent: z.number().gt(0).lt(100).default(10),
  bakeSeconds: z.number().min(0).max(86_400).default(60),
  guardrails: guardrailsSchema.prefault({}),
  onInconclusive: onInconclusiveSchema.default('pause'),
});

/**
 * What happens to the registered version: `replace` creates the deployment (or swaps its version
 * with zero downtime); `canary` rolls it out as a guarded canary when the deployment exists.
 */
export const trainingDeploySchema = z
  .strictObject({
    /** Default: the model's name. */
    deployment: nameSchema.optional(),
    mode: z.enum(['replace', 'canary']).default('replace'),
    canary: trainingCanarySchema.optional(),
  })
  .refine((d) => d.mode === 'canary' || d.canary === undefined, {
    path: ['canary'],
    message: 'is only read with mode "canary"',
  });
export type TrainingDeploy = z.infer<typeof trainingDeploySchema>;

/** The fields a job adds to the training spec. */
export const trainingJobFields = {
  /** The registry model the trained version goes into (created with the dataset's task if missing). */
  name: nameSchema,
  /** Register the version when training succeeds; without it the job ends after the parity check. */
  register: z.boolean().default(true),
  deploy: trainingDeploySchema.optional(),
};

/** One finished epoch: losses and the metrics the task computes, on the training and validation rows. */
export const epochMetricsSchema = z.object({
  epoch: z.number().int(),
  loss: z.number().nullable(),
  valLoss: z.number().nullable(),
  /** e.g. `accuracy`, `val_accuracy`, `mae`, `val_mae`. */
  metrics: z.record(z.string(), z.number().nullable()),
  durationMs: z.number(),
});
export type EpochMetrics = z.infer<typeof epochMetricsSchema>;

export const trainingProgressSchema = z.object({
  phase: trainingPhaseSchema,
  /** Epochs finished (the current one runs now). */
  epoch: z.number().int(),
  epochs: z.number().int(),
  /** Share of the planned epochs done, 0…1. */
  fraction: z.number(),
});
export type TrainingProgress = z.infer<typeof trainingProgressSchema>;

export const parityCheckSchema = z.object({
  /** The largest absolute difference between TensorFlow.js and onnxruntime outputs. */
  maxAbsDiff: z.number(),
  tolerance: z.number(),
  /** Validation rows (or images) compared. */
  rows: z.number().int(),
  passed: z.boolean(),
});
export type ParityCheck = z.infer<typeof parityCheckSchema>;

export const trainingResultSchema = z.object({
  /** The trained model on the validation rows. */
  metrics: z.record(z.string(), z.number().nullable()),
  /** The trivial model (majority class, or the mean) on the same rows. */
  baseline: z.record(z.string(), z.number().nullable()),
  epochsRun: z.number().int(),
  /** Early stopping ended training before the last epoch. */
  stoppedEarly: z.boolean(),
  parity: parityCheckSchema.nullable(),
  model: z.string(),
  /** The version registered; null with `register: false`. */
  version: z.number().int().nullable(),
  sha256: z.string().nullable(),
  deployment: z
    .object({
      name: z.string(),
      mode: z.enum(['replace', 'canary']),
      /** The canary rollout started, if any. */
      rolloutId: z.string().nullable(),
    })
    .nullable(),
});
export type TrainingResult = z.infer<typeof trainingResultSchema>;

export const trainingErrorSchema = z.object({
  /** A catalog code: `training_data_invalid`, `export_parity_failed`, `training_failed`… */
  code: z.string(),
  message: z.string(),
  /** The field or column at fault, where there is one. */
  param: z.string().nullable(),
  details: z.unknown().optional(),
});
export type TrainingError = z.infer<typeof trainingErrorSchema>;

export const trainingJobSchema = z.object({
  id: z.string(),
  project: z.string(),
  /** The registry model it trains into. */
  name: z.string(),
  dataset: z.string(),
  state: trainingJobStateSchema,
  /** The request as validated, with every default filled in. */
  spec: z.record(z.string(), z.unknown()),
  progress: trainingProgressSchema,
  /** Every finished epoch, in order. */
  epochs: z.array(epochMetricsSchema),
  result: trainingResultSchema.nullable(),
  error: trainingErrorSchema.nullable(),
  /** 1 for a job that ran once; more after resumes. */
  attempts: z.number().int(),
  cancelRequested: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type TrainingJob = z.infer<typeof trainingJobSchema>;

export const trainingJobListSchema = z.object({ data: z.array(trainingJobSchema) });
export type TrainingJobList = z.infer<typeof trainingJobListSchema>;

export const trainingJobListQuery = z.strictObject({
  state: trainingJobStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TrainingJobListQuery = z.input<typeof trainingJobListQuery>;

export const trainingLogLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);

export const trainingLogLineSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  level: trainingLogLevelSchema,
  message: z.string(),
});
export type TrainingLogLine = z.infer<typeof trainingLogLineSchema>;

export const trainingLogListSchema = z.object({ data: z.array(trainingLogLineSchema) });

/**
 * One event of `GET /api/v1/training/jobs/{id}/events` (Server-Sent Events: the SSE `event` is
 * the type, `id` the sequence number, `data` this object). `state` carries the job's state and
 * error; `end` is the last event of a stream, sent once the job has ended.
 */
export const trainingEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('state'),
    seq: z.number().int(),
    at: z.string(),
    state: trainingJobStateSchema,
    error: trainingErrorSchema.nullable().optional(),
  }),
  z.object({
    type: z.literal('progress'),
    seq: z.number().int(),
    at: z.string(),
    progress: trainingProgressSchema,
  }),
  z.object({ type: z.literal('epoch'), seq: z.number().int(), at: z.string(), epoch: epochMetricsSchema }),
  z.object({
    type: z.literal('log'),
    seq: z.number().int(),
    at: z.string(),
    level: trainingLogLevelSchema,
    message: z.string(),
  }),
  z.object({
    type: z.literal('result'),
    seq: z.number().int(),
    at: z.string(),
    result: trainingResultSchema,
  }),
  z.object({ type: z.literal('end'), seq: z.number().int(), at: z.string(), state: trainingJobStateSchema }),
]);
export type TrainingEvent = z.infer<typeof trainingEventSchema>;
export type TrainingEventType = TrainingEvent['type'];
