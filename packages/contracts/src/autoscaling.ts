import { z } from 'zod';

/**
 * How a deployment's variants scale with their load (Knative's KPA): each variant's pool is sized
 * to its concurrent requests ÷ `targetConcurrency`, averaged over a stable window, or over a short
 * panic window when demand reaches `panicThreshold` × what the pool can take. Scaling down waits
 * `scaleDownDelaySeconds` and never stops an instance with work in flight. With `minInstances: 0`,
 * a deployment idle for `scaleToZeroAfterSeconds` stops; its next requests are held while it
 * starts (at most `maxHeldRequests`, each up to its timeout).
 */
export const autoscalingSchema = z
  .strictObject({
    minInstances: z.number().int().min(0).max(64).default(1),
    maxInstances: z.number().int().min(1).max(64).default(4),
    /** Requests in flight per instance the scaler aims at (for language models: about `llm.parallel`). */
    targetConcurrency: z.number().gt(0).max(10_000).default(4),
    stableWindowSeconds: z.number().min(2).max(3600).default(60),
    panicWindowSeconds: z.number().min(1).max(600).default(6),
    panicThreshold: z.number().min(1.1).max(100).default(2),
    scaleDownDelaySeconds: z.number().min(0).max(3600).default(30),
    scaleToZeroAfterSeconds: z.number().min(1).max(86_400).default(300),
    maxHeldRequests: z.number().int().min(1).max(100_000).default(100),
  })
  .refine((a) => a.minInstances <= a.maxInstances, {
    message: 'minInstances cannot exceed maxInstances',
    path: ['minInstances'],
  })
  .refine((a) => a.panicWindowSeconds <= a.stableWindowSeconds, {
    message: 'the panic window cannot be longer than the stable window',
    path: ['panicWindowSeconds'],
  });
export type Autoscaling = z.infer<typeof autoscalingSchema>;

/** The last decision of a variant's scaler, with the figures it was taken on. */
export const scalingDecisionSchema = z.object({
  at: z.string(),
  mode: z.enum(['stable', 'panic']),
  /** Average requests in flight over each window. */
  stableConcurrency: z.number(),
  panicConcurrency: z.number(),
  current: z.number().int(),
  desired: z.number().int(),
  /** Why the pool is not at `desired` (e.g. the memory budget, waiting out the scale-down delay). */
  reason: z.string().nullable(),
});
export type ScalingDecision = z.infer<typeof scalingDecisionSchema>;

/** One variant's pool as the scaler sees it. */
export const variantScaleSchema = z.object({
  variant: z.string(),
  fleet: z.enum(['current', 'next']),
  current: z.number().int(),
  desired: z.number().int(),
  minInstances: z.number().int(),
  maxInstances: z.number().int(),
  lastDecision: scalingDecisionSchema.nullable(),
});
export type VariantScale = z.infer<typeof variantScaleSchema>;
