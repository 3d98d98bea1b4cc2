import { z } from 'zod';
import { nameSchema } from './names.js';

/** `admin` manages its own project; `org_admin` also creates projects and keys in its organization. */
export const scopes = ['infer', 'manage', 'metrics', 'admin', 'org_admin'] as const;
export const scopeSchema = z.enum(scopes);
export type Scope = z.infer<typeof scopeSchema>;

const rateLimitsSchema = z.strictObject({
  requestsPerMinute: z.number().int().min(1).max(10_000_000).optional(),
  /** Prompt + completion tokens of language-model requests per minute. */
  tokensPerMinute: z.number().int().min(1).max(1_000_000_000).optional(),
  /** At most this many requests of the key in flight at once. */
  concurrent: z.number().int().min(1).max(100_000).optional(),
});

export const keyLimitsSchema = rateLimitsSchema.extend({
  /** Limits of the key on one model (deployment name), on top of the key-wide ones. */
  models: z.record(nameSchema, rateLimitsSchema).optional(),
});
export type KeyLimits = z.infer<typeof keyLimitsSchema>;

/** Limits in a response drop unknown fields, so one a newer server adds does not break an older client. */
const keyLimitsView = keyLimitsSchema
  .extend({ models: z.record(nameSchema, rateLimitsSchema.strip()).optional() })
  .strip();

export const createKeyRequest = z.strictObject({
  name: z.string().min(1).max(100).default('key'),
  scopes: z.array(scopeSchema).min(1).default(['infer']),
  /** Model allow-list; absent or null means every model of the project. */
  models: z.array(nameSchema).max(1000).nullable().default(null),
  /** ISO-8601 instant after which the key stops working. */
  expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
  /** Per-key limits; over one, requests get 429 with `Retry-After` and `x-ratelimit-*` headers. */
  limits: keyLimitsSchema.nullable().default(null),
});
export type CreateKeyRequest = z.input<typeof createKeyRequest>;

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  project: z.string(),
  scopes: z.array(scopeSchema),
  models: z.array(z.string()).nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  limits: keyLimitsView.nullable(),
  rotatedAt: z.string().nullable(),
  /** The last replaced secret's prefix and when it stops (or stopped) working; null if never rotated. */
  previousPrefix: z.string().nullable(),
  previousValidUntil: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

/** Returned once, at creation: the secret is never shown again. */
export const createdKeySchema = apiKeySchema.extend({ key: z.string() });
export type CreatedKey = z.infer<typeof createdKeySchema>;

export const keyListSchema = z.object({ data: z.array(apiKeySchema) });

export const DEFAULT_KEY_GRACE_SECONDS = 86_400;
export const MAX_KEY_GRACE_SECONDS = 30 * 86_400;

export const rotateKeyRequest = z.strictObject({
  /** How long the old secret keeps working; 0 stops it at once. At most 30 days. */
  gracePeriodSeconds: z.number().int().min(0).max(MAX_KEY_GRACE_SECONDS).default(DEFAULT_KEY_GRACE_SECONDS),
});
export type RotateKeyRequest = z.input<typeof rotateKeyRequest>;
