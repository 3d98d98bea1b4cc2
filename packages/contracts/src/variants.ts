import { z } from 'zod';
import { nameSchema } from './names.js';

/** Variant names as SageMaker writes them (`AllTraffic`, `VariantA`), besides `default`. */
export const VARIANT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const variantNameSchema = z
  .string()
  .regex(VARIANT_NAME_PATTERN, 'must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}');

/** `production` variants take the split's traffic; a `shadow` gets a sampled copy, its answers dropped. */
export const variantRoleSchema = z.enum(['production', 'shadow']);
export type VariantRole = z.infer<typeof variantRoleSchema>;

/** One production variant as a client asks for it (SageMaker's ProductionVariant). */
export const variantRequestSchema = z.strictObject({
  variantName: variantNameSchema,
  /** A version number or an alias of the deployment's model. */
  modelVersion: z.union([z.number().int().min(1), nameSchema]),
  instances: z.number().int().min(1).max(64).default(1),
  /** A relative share of the traffic; 0 serves only requests that name the variant. */
  weight: z.number().min(0).max(1_000_000),
  role: variantRoleSchema.default('production'),
  /** A shadow's share of the production requests copied to it, in percent (0 < p ≤ 100). */
  samplingPercent: z.number().gt(0).max(100).optional(),
});

/** Replaces a deployment's variants and weights: one new revision, applied whole or not at all. */
export const setVariantsRequest = z.strictObject({ variants: z.array(variantRequestSchema).min(1).max(16) });
export type SetVariantsRequest = z.input<typeof setVariantsRequest>;

/** A variant of a revision, its version resolved. */
export const variantSchema = z.object({
  variantName: z.string(),
  modelVersion: z.number().int(),
  instances: z.number().int(),
  weight: z.number(),
  role: z.string(),
  samplingPercent: z.number().nullable(),
});
export type Variant = z.infer<typeof variantSchema>;

/** An immutable revision of a deployment: every change of variants or weights makes the next one. */
export const revisionSchema = z.object({
  revision: z.number().int(),
  variants: z.array(variantSchema),
  /** The guardrails of the rollout that made it; null for a revision set at once. */
  guardrails: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});
export type Revision = z.infer<typeof revisionSchema>;

export const revisionListSchema = z.object({ data: z.array(revisionSchema) });
