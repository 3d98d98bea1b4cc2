import { z } from 'zod';
import { nameSchema } from './names.js';
import { guardrailsSchema, onInconclusiveSchema } from './rollouts.js';
import { trainingSpecSchema } from './training.js';

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

/**
 * `POST /api/v1/training/jobs`: the training spec (`training.ts`) and the job's own fields, strict
 * like every management request.
 */
export const createTrainingJobRequest = trainingSpecSchema
  .safeExtend(trainingJobFields)
  .refine((r) => r.register || r.deploy === undefined, {
    path: ['deploy'],
    message: 'needs register: true (only a registered version can be deployed)',
  });
export type CreateTrainingJobRequest = z.input<typeof createTrainingJobRequest>;
export type TrainingJobRequest = z.infer<typeof createTrainingJobRequest>;

/**
 * `POST /api/v1/training/jobs/{id}/register`: registers the model a succeeded job kept (it ran with
 * `register: false`) as the next version of its model, or of `model` when given.
 */
export const registerTrainingJobRequest = z.strictObject({ model: nameSchema.optional() }).nullish();
export type RegisterTrainingJobRequest = z.infer<typeof registerTrainingJobRequest>;

/** `accuracy` for classification (higher is better), `mae` for regression (lower is better). */
export const trainingMetricSchema = z.enum(['accuracy', 'mae']);

/** One finished epoch: loss and metric on the training rows, and on the validation rows when held out. */
export const epochMetricsSchema = z.object({
  /** 1-based. */
  epoch: z.number().int(),
  loss: z.number(),
  metric: z.number(),
  valLoss: z.number().nullable(),
  valMetric: z.number().nullable(),
  durationMs: z.number(),
});
export type EpochMetrics = z.infer<typeof epochMetricsSchema>;

export const trainingProgressSchema = z.object({
  phase: trainingPhaseSchema,
  /** Known once the task is (from the spec, or when training starts). */
  metric: trainingMetricSchema.nullable(),
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

export const classScoresSchema = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int(),
});

export const trainingResultSchema = z.object({
  metric: trainingMetricSchema,
  /** Where the scores come from: the test split when there is one, else validation. */
  evaluatedOn: z.object({ split: z.enum(['test', 'validation', 'train']), rows: z.number().int() }),
  /** The trained model: accuracy, macro precision/recall/F1, or MAE, RMSE, R². */
  metrics: z.record(z.string(), z.number()),
  /** The trivial model on the same rows (the majority class, or the mean); `predicts` is what it answers. */
  baseline: z.record(z.string(), z.union([z.number(), z.string()])),
  /** Classification: per-class scores and `confusion[actual][predicted]` in label order. */
  perClass: z.array(classScoresSchema).optional(),
  confusion: z.array(z.array(z.number().int())).optional(),
  labels: z.array(z.string()).nullable(),
  epochsRun: z.number().int(),
  /** The epoch whose weights the model holds. */
  bestEpoch: z.number().int(),
  stoppedBy: z.enum(['completed', 'early_stopping', 'time_budget']),
  parity: parityCheckSchema,
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
