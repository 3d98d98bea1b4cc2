import { z } from 'zod';
import { setVariantsRequest, variantSchema } from './variants.js';

/** Seconds as a bake, window or interval takes them (decimals allowed: tests bake for 0.5 s). */
const seconds = (max: number) => z.number().min(0).max(max);

/**
 * How traffic moves from revision N to N+1 (SageMaker's TrafficRoutingConfiguration and
 * RollingUpdatePolicy). Each step shifts a percentage of the traffic to the new revision, then
 * bakes (`bakeSeconds`, SageMaker's WaitIntervalInSeconds) while the guardrails watch it.
 */
export const rolloutStrategySchema = z.discriminatedUnion('type', [
  /** Everything at once, then one bake before the old fleet stops. */
  z.strictObject({ type: z.literal('all_at_once'), bakeSeconds: seconds(86_400).default(0) }),
  /** One step of `percent`, bake, then all (SageMaker's CanarySize as CAPACITY_PERCENT). */
  z.strictObject({
    type: z.literal('canary'),
    percent: z.number().gt(0).lt(100),
    bakeSeconds: seconds(86_400).default(60),
  }),
  /**
   * Steps of `percent` each (SageMaker's LinearStepSize), or explicit `steps` (increasing, ending
   * at 100).
   */
  z.strictObject({
    type: z.literal('linear'),
    percent: z.number().gt(0).max(100).optional(),
    steps: z.array(z.number().gt(0).max(100)).min(1).max(100).optional(),
    bakeSeconds: seconds(86_400).default(60),
  }),
  /**
   * One variant at a time, its new pool started beside its old one, so at most one variant is held
   * twice in memory (SageMaker's RollingUpdatePolicy). Rollback restarts the old pools.
   */
  z.strictObject({ type: z.literal('rolling'), bakeSeconds: seconds(86_400).default(30) }),
]);
export type RolloutStrategy = z.infer<typeof rolloutStrategySchema>;

/** What a guardrail measures on the new revision's traffic (milliseconds for latencies). */
export const guardrailMetricSchema = z.enum([
  'error_rate',
  'latency_p50',
  'latency_p95',
  'latency_p99',
  'ttft_p50',
  'ttft_p95',
  'ttft_p99',
  'itl_p50',
  'itl_p95',
  'itl_p99',
]);
export type GuardrailMetric = z.infer<typeof guardrailMetricSchema>;

/**
 * One rule: the new revision's value must stay at or below the largest of the bounds given:
 * `max` (absolute), baseline + `maxIncrease` (same unit), baseline × `maxRatio`. So
 * `{ metric: 'error_rate', max: 0.01, maxIncrease: 0.01 }` is "errors ≤ max(1%, baseline + 1 point)".
 */
export const guardrailRuleSchema = z
  .strictObject({
    metric: guardrailMetricSchema,
    max: z.number().min(0).optional(),
    maxIncrease: z.number().min(0).optional(),
    maxRatio: z.number().min(1).optional(),
  })
  .refine((r) => r.max !== undefined || r.maxIncrease !== undefined || r.maxRatio !== undefined, {
    message: 'a rule needs max, maxIncrease or maxRatio',
  });
export type GuardrailRule = z.infer<typeof guardrailRuleSchema>;

/** SageMaker's AutoRollbackConfiguration, evaluated inside Modelport from its own measurements. */
export const guardrailsSchema = z.strictObject({
  rules: z
    .array(guardrailRuleSchema)
    .max(20)
    .default([{ metric: 'error_rate', max: 0.01, maxIncrease: 0.01 }]),
  /** The sliding window each evaluation looks at. */
  windowSeconds: seconds(3600).min(0.1).default(60),
  /** How often the rules are evaluated. */
  intervalSeconds: seconds(600).min(0.05).default(5),
  /** Requests of the new revision a window needs before a rule can pass or breach. */
  minSamples: z.number().int().min(1).max(1_000_000).default(50),
  /** Breaches in a row before rolling back. */
  consecutiveBreaches: z.number().int().min(1).max(100).default(2),
  /** The obvious case acts at once: at least `errorRate` errors over at least `minRequests`. */
  fastFail: z
    .strictObject({
      errorRate: z.number().gt(0).max(1).default(0.5),
      minRequests: z.number().int().min(1).max(1_000_000).default(20),
    })
    .nullable()
    .prefault({}),
});
export type Guardrails = z.infer<typeof guardrailsSchema>;

/** What an inconclusive bake (too few samples) leads to. */
export const onInconclusiveSchema = z.enum(['pause', 'rollback', 'promote']);

/** Starts a rollout to a new revision of these variants. */
export const startRolloutRequest = setVariantsRequest.extend({
  strategy: rolloutStrategySchema.prefault({ type: 'all_at_once' }),
  guardrails: guardrailsSchema.prefault({}),
  onInconclusive: onInconclusiveSchema.default('pause'),
  /** Roll back a rollout in progress first, instead of refusing (409 `rollout_in_progress`). */
  supersede: z.boolean().default(false),
});
export type StartRolloutRequest = z.input<typeof startRolloutRequest>;

export const promoteRolloutRequest = z.strictObject({
  /** Straight to 100% (and done) instead of the next step. */
  all: z.boolean().default(false),
});
export type PromoteRolloutRequest = z.input<typeof promoteRolloutRequest>;

export const rolloutStateSchema = z.enum([
  'provisioning',
  'shifting',
  'baking',
  'paused',
  'succeeded',
  'failed',
  'rolling_back',
  'rolled_back',
]);
export type RolloutState = z.infer<typeof rolloutStateSchema>;

/** One side's figures over an evaluation's window (milliseconds; null without samples). */
export const windowFiguresSchema = z.object({
  requests: z.number().int(),
  errors: z.number().int(),
  errorRate: z.number().nullable(),
  latencyP50: z.number().nullable(),
  latencyP95: z.number().nullable(),
  latencyP99: z.number().nullable(),
  ttftP50: z.number().nullable(),
  ttftP95: z.number().nullable(),
  ttftP99: z.number().nullable(),
  itlP50: z.number().nullable(),
  itlP95: z.number().nullable(),
  itlP99: z.number().nullable(),
});
export type WindowFigures = z.infer<typeof windowFiguresSchema>;

/** The figure of a window each guardrail metric reads. */
export const figureOfMetric = {
  error_rate: 'errorRate',
  latency_p50: 'latencyP50',
  latency_p95: 'latencyP95',
  latency_p99: 'latencyP99',
  ttft_p50: 'ttftP50',
  ttft_p95: 'ttftP95',
  ttft_p99: 'ttftP99',
  itl_p50: 'itlP50',
  itl_p95: 'itlP95',
  itl_p99: 'itlP99',
} as const satisfies Record<GuardrailMetric, keyof WindowFigures>;

export const ruleResultSchema = z.object({
  metric: guardrailMetricSchema,
  value: z.number().nullable(),
  baseline: z.number().nullable(),
  /** The largest value the rule allowed in this window. */
  threshold: z.number().nullable(),
  outcome: z.enum(['pass', 'breach', 'no_data']),
});
export type RuleResult = z.infer<typeof ruleResultSchema>;

export const evaluationSchema = z.object({
  at: z.string(),
  /** `fast_fail`: the fast-fail rule fired. */
  outcome: z.enum(['pass', 'breach', 'fast_fail', 'insufficient_samples']),
  consecutiveBreaches: z.number().int(),
  canary: windowFiguresSchema,
  baseline: windowFiguresSchema,
  rules: z.array(ruleResultSchema),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

export const rolloutSchema = z.object({
  id: z.string(),
  deployment: z.string(),
  fromRevision: z.number().int(),
  toRevision: z.number().int(),
  strategy: rolloutStrategySchema,
  guardrails: guardrailsSchema,
  onInconclusive: onInconclusiveSchema,
  state: rolloutStateSchema,
  /** The percentages of the new revision, step by step; `step` indexes them (-1 before the first). */
  steps: z.array(z.number()),
  step: z.number().int(),
  /** Share of the traffic the new revision takes now. */
  percent: z.number(),
  /** Why it paused, failed or rolled back (`insufficient_samples`, `guardrail_breach`, `aborted`…). */
  reason: z.string().nullable(),
  targetVariants: z.array(variantSchema),
  lastEvaluation: evaluationSchema.nullable(),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Rollout = z.infer<typeof rolloutSchema>;

export const rolloutListSchema = z.object({ data: z.array(rolloutSchema) });
