import type { LimitDecision, LimitState, WindowKind } from './limiter.js';

/**
 * A duration as OpenAI writes its reset headers (Go's `time.Duration` format, to the millisecond):
 * `12ms`, `1s`, `1.5s`, `6m0s`, `1h2m3.4s`.
 */
export function formatResetDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total === 0) return '0s';
  if (total < 1_000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const secondsMs = total % 60_000;
  const seconds = `${Math.floor(secondsMs / 1_000)}${fraction(secondsMs % 1_000)}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

function fraction(ms: number): string {
  return ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
}

/** `Retry-After` in whole seconds, at least 1 (a 0 would invite an immediate retry storm). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1_000));
}

/** The rule closest to refusing speaks for its kind (key-wide or key × model). */
function tightest(states: readonly LimitState[], kind: WindowKind): LimitState | undefined {
  let best: LimitState | undefined;
  for (const state of states) {
    if (state.kind !== kind) continue;
    const tighter =
      !best ||
      state.remaining < best.remaining ||
      (state.remaining === best.remaining && state.resetMs > best.resetMs);
    if (tighter) best = state;
  }
  return best;
}

/** `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, and `retry-after` when refused. */
export function rateLimitHeaders(decision: LimitDecision): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ['requests', 'tokens'] as const) {
    const state = tightest(decision.states, kind);
    if (!state) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(state.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(state.remaining);
    headers[`x-ratelimit-reset-${kind}`] = formatResetDuration(state.resetMs);
  }
  if (!decision.allowed) headers['retry-after'] = String(retryAfterSeconds(decision.retryAfterMs));
  return headers;
}
