import { z } from 'zod';
import { nameSchema } from './names.js';

/** At most this many fallbacks per deployment. */
export const MAX_FALLBACKS = 8;

/**
 * How a deployment's failures in failover chains cool it down (docs/failover.md): `failureThreshold`
 * failures (5xx, timeouts, runner crashes) within `failureWindowSeconds` take it out of every chain
 * for `coolDownSeconds`; the first request after that is a probe, whose failure cools it down again
 * at once. A 503/429 with `Retry-After` keeps it out for that long instead (at most 10 minutes).
 */
export const failoverSchema = z.strictObject({
  failureThreshold: z.number().int().min(1).max(1000).default(5),
  failureWindowSeconds: z.number().min(1).max(3600).default(10),
  coolDownSeconds: z.number().min(1).max(3600).default(30),
});
export type FailoverSettings = z.infer<typeof failoverSchema>;

/**
 * Other deployments of the same project that answer, in order, a request this one failed before
 * sending anything (overload, 5xx, timeout; for language models also a prompt past the context).
 * One level: a fallback's own fallbacks are not followed.
 */
export const fallbacksSchema = z.array(nameSchema).max(MAX_FALLBACKS);

/**
 * Where a deployment stands in failover chains now (this process's view): `ok`; `cooling_down`
 * (skipped by every chain until `until`); `probation` (back after a cool-down: its next failure
 * cools it down again at once, its next answer clears it).
 */
export const failoverStatusSchema = z.object({
  state: z.enum(['ok', 'cooling_down', 'probation']),
  /** When a cooling-down deployment is tried again; null otherwise. */
  until: z.string().nullable(),
  /** What cooled it down last: too many failures, or a 503/429 with `Retry-After`. */
  reason: z.enum(['failures', 'retry_after']).nullable(),
  /** Failures counted towards `failureThreshold` within the failure window. */
  recentFailures: z.number().int(),
});
export type FailoverStatus = z.infer<typeof failoverStatusSchema>;
