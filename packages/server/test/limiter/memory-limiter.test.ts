import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/usage/limiter/index.js';
import { describeLimiterContract } from './limiter-contract.js';

describeLimiterContract('memory', async () => {
  const limiter = new MemoryRateLimiter();
  return { limiter, cleanup: () => limiter.close() };
});

describe('MemoryRateLimiter memory bound', () => {
  it('forgets states whose bucket is full again', async () => {
    let now = 1_000;
    const limiter = new MemoryRateLimiter({ now: () => now, maxEntries: 2 });
    const rules = [{ kind: 'requests', limit: 10, windowMs: 1_000 }] as const;
    await limiter.consume('a', rules, { requests: 1, tokens: 0 });
    await limiter.consume('b', rules, { requests: 1, tokens: 0 });
    expect(limiter.size).toBe(2);
    now += 1_000;
    await limiter.consume('c', rules, { requests: 1, tokens: 0 });
    expect(limiter.size).toBe(1);
    await limiter.close();
  });

  it('evicts the least recently used state beyond maxEntries', async () => {
    const limiter = new MemoryRateLimiter({ now: () => 0, maxEntries: 2 });
    const rules = [{ kind: 'requests', limit: 1, windowMs: 60_000 }] as const;
    const consume = (key: string) => limiter.consume(key, rules, { requests: 1, tokens: 0 });
    await consume('a');
    await consume('b');
    await consume('c');
    expect(limiter.size).toBe(2);
    expect((await consume('a')).allowed).toBe(true);
    expect((await consume('c')).allowed).toBe(false);
    await limiter.close();
  });
});
