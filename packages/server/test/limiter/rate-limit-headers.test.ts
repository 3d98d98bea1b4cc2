import { describe, expect, it } from 'vitest';
import {
  formatResetDuration,
  type LimitDecision,
  rateLimitHeaders,
  retryAfterSeconds,
} from '../../src/usage/limiter/index.js';

describe('formatResetDuration', () => {
  it.each([
    [0, '0s'],
    [12, '12ms'],
    [11.2, '12ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [17_231, '17.231s'],
    [60_000, '1m0s'],
    [360_000, '6m0s'],
    [61_050, '1m1.05s'],
    [3_723_400, '1h2m3.4s'],
    [3_600_000, '1h0m0s'],
    [-5, '0s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatResetDuration(ms)).toBe(text);
  });
});

describe('rateLimitHeaders', () => {
  const decision = (over: Partial<LimitDecision> = {}): LimitDecision => ({
    allowed: true,
    retryAfterMs: 0,
    states: [
      { kind: 'requests', scope: undefined, limit: 60, remaining: 59, resetMs: 1_000 },
      { kind: 'tokens', scope: undefined, limit: 150_000, remaining: 149_984, resetMs: 360_000 },
    ],
    ...over,
  });

  it('writes the six OpenAI headers, without retry-after when allowed', () => {
    expect(rateLimitHeaders(decision())).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '150000',
      'x-ratelimit-remaining-tokens': '149984',
      'x-ratelimit-reset-tokens': '6m0s',
    });
  });

  it('reports the tightest rule of each kind (key × model over key-wide)', () => {
    const headers = rateLimitHeaders({
      allowed: true,
      retryAfterMs: 0,
      states: [
        { kind: 'requests', scope: undefined, limit: 100, remaining: 40, resetMs: 36_000 },
        { kind: 'requests', scope: 'model:m', limit: 10, remaining: 2, resetMs: 48_000 },
      ],
    });
    expect(headers).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-reset-requests': '48s',
    });
  });

  it('adds retry-after in whole seconds, at least 1, when refused', () => {
    expect(rateLimitHeaders(decision({ allowed: false, retryAfterMs: 12 }))['retry-after']).toBe('1');
    expect(rateLimitHeaders(decision({ allowed: false, retryAfterMs: 20_001 }))['retry-after']).toBe('21');
    expect(retryAfterSeconds(0)).toBe(1);
    expect(rateLimitHeaders({ allowed: true, retryAfterMs: 0, states: [] })).toEqual({});
  });
});
