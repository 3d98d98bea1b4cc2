import type { KeyLimits } from '@modelport/contracts';
import type { LimitRule } from '../limiter/index.js';

const MINUTE_MS = 60_000;

/**
 * The rules checked once the model is known: the key's tokens per minute, and its requests and
 * tokens per minute on this model. Token rules apply only to requests that count tokens.
 */
export function modelRules(limits: KeyLimits, deployment: string, countsTokens: boolean): LimitRule[] {
  const rules: LimitRule[] = [];
  if (countsTokens && limits.tokensPerMinute !== undefined)
    rules.push({ kind: 'tokens', limit: limits.tokensPerMinute, windowMs: MINUTE_MS });
  const perModel = limits.models?.[deployment];
  if (!perModel) return rules;
  const scope = `model:${deployment}`;
  if (perModel.requestsPerMinute !== undefined)
    rules.push({ kind: 'requests', limit: perModel.requestsPerMinute, windowMs: MINUTE_MS, scope });
  if (countsTokens && perModel.tokensPerMinute !== undefined)
    rules.push({ kind: 'tokens', limit: perModel.tokensPerMinute, windowMs: MINUTE_MS, scope });
  return rules;
}

/** Token rules only: for charging what a request used beyond its estimate. */
export function tokenRules(rules: readonly LimitRule[]): LimitRule[] {
  return rules.filter((r) => r.kind === 'tokens');
}
