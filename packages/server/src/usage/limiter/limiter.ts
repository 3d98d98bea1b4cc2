/**
 * Rate limits of the gateway: requests and tokens per window, per API key and, with `scope`, per
 * key × model (one call checks both atomically), plus a limit on concurrent requests.
 *
 * Algorithm: GCRA (generic cell rate algorithm, a token bucket kept as one timestamp per rule).
 * A rule `{ limit, windowMs }` lets a full burst of `limit` through, then refills continuously at
 * `limit / windowMs`. Maximum overshoot against a fixed-window reading of the limit:
 * - a burst arriving within `d` ms accepts at most `limit + floor(d · limit / windowMs)` units
 *   (exactly `limit` when it arrives at once: every check is atomic);
 * - any rolling interval of `windowMs` accepts at most `2 · limit − 1` units, reached only when a
 *   full bucket is drained at once and then every refilled unit is taken.
 * The sustained rate never exceeds `limit / windowMs`.
 */

export type WindowKind = 'requests' | 'tokens';

export interface LimitRule {
  kind: WindowKind;
  limit: number;
  windowMs: number;
  /** Narrows the rule inside the key (e.g. `model:llama-3`), so one call can check key and key × model. */
  scope?: string;
}

export interface ConcurrencyRule {
  kind: 'concurrent';
  limit: number;
}

export interface LimitCost {
  requests: number;
  tokens: number;
  /**
   * Charge even past the limits, and allow negative costs (refunds): for tokens known only after
   * the work, such as a completion's length. Such a call is always allowed.
   */
  force?: boolean;
}

export interface LimitState {
  kind: WindowKind;
  scope: string | undefined;
  limit: number;
  remaining: number;
  /** Time until the rule is back to its full limit. */
  resetMs: number;
}

export interface LimitDecision {
  allowed: boolean;
  /** 0 when allowed; otherwise the wait before the same call could pass (windowMs when it never can). */
  retryAfterMs: number;
  /** One per rule, in the order given: after the consumption when allowed, untouched when refused. */
  states: LimitState[];
}

export interface ConcurrencyLease {
  allowed: boolean;
  limit: number;
  inFlight: number;
  /** Frees the slot; idempotent, and a no-op for a refused lease. Never throws. */
  release(): Promise<void>;
}

export interface RateLimiter {
  /** All rules pass or none is charged. Throws only `LimiterUnavailableError`. */
  consume(key: string, rules: readonly LimitRule[], cost: LimitCost): Promise<LimitDecision>;
  /** Takes one of `limit` concurrent slots of the key. Throws only `LimiterUnavailableError`. */
  acquire(key: string, limit: number): Promise<ConcurrencyLease>;
  close(): Promise<void>;
}

export function costOf(rule: LimitRule, cost: LimitCost): number {
  return rule.kind === 'requests' ? cost.requests : cost.tokens;
}

/** The state of each rule lives under key × scope × kind × window. */
export function ruleId(rule: LimitRule): string {
  return `${rule.scope ?? '*'}:${rule.kind}:${rule.windowMs}`;
}
