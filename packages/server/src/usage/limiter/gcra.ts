import type { LimitRule, LimitState } from './limiter.js';

/** Absorbs float error of `cost · windowMs / limit` (e.g. limit 7 over 60 s). */
const EPSILON = 1e-6;

export interface GcraOutcome {
  allowed: boolean;
  retryAfterMs: number;
  /** Theoretical arrival time to store when the whole call is allowed. */
  nextTat: number;
}

/**
 * One GCRA step: `tat` is the time at which the bucket is full again (absent or past = full now).
 * The same arithmetic runs in the Redis script (`redis-scripts.ts`).
 */
export function gcraStep(
  tat: number | undefined,
  nowMs: number,
  rule: LimitRule,
  cost: number,
  force = false,
): GcraOutcome {
  const intervalMs = rule.windowMs / rule.limit;
  const base = Math.max(tat ?? nowMs, nowMs);
  const nextTat = base + cost * intervalMs;
  if (force) return { allowed: true, retryAfterMs: 0, nextTat };
  if (cost > rule.limit) return { allowed: false, retryAfterMs: rule.windowMs, nextTat };
  if (nextTat - nowMs > rule.windowMs + EPSILON) {
    return { allowed: false, retryAfterMs: Math.ceil(nextTat - rule.windowMs - nowMs), nextTat };
  }
  return { allowed: true, retryAfterMs: 0, nextTat };
}

export function gcraState(tat: number | undefined, nowMs: number, rule: LimitRule): LimitState {
  const intervalMs = rule.windowMs / rule.limit;
  const aheadMs = Math.max((tat ?? nowMs) - nowMs, 0);
  const remaining = Math.max(0, Math.floor((rule.windowMs - aheadMs) / intervalMs + EPSILON));
  return { kind: rule.kind, scope: rule.scope, limit: rule.limit, remaining, resetMs: Math.ceil(aheadMs) };
}
