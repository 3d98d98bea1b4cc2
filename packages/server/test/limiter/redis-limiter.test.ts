import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter } from '../../src/usage/limiter/index.js';
import {
  deleteKeys,
  SHARED_REDIS_URL,
  sharedRedisAvailable,
  sleep,
  uniquePrefix,
  waitFor,
} from '../support/redis.js';
import { describeLimiterContract } from './limiter-contract.js';

const available = await sharedRedisAvailable();

async function connected(prefix: string, leaseTtlMs?: number): Promise<RedisRateLimiter> {
  const options = leaseTtlMs === undefined ? { keyPrefix: prefix } : { keyPrefix: prefix, leaseTtlMs };
  const limiter = RedisRateLimiter.connect(SHARED_REDIS_URL, { ...options, commandTimeoutMs: 5_000 });
  await waitFor(() => limiter.available);
  return limiter;
}

describe.skipIf(!available)('RedisRateLimiter', () => {
  let admin: Redis;
  beforeAll(() => {
    admin = new Redis(SHARED_REDIS_URL);
  });
  afterAll(async () => {
    await admin.quit();
  });

  describeLimiterContract('redis', async (prefix) => {
    const limiter = await connected(prefix);
    return {
      limiter,
      async cleanup() {
        await limiter.close();
        await deleteKeys(admin, prefix);
      },
    };
  });

  it('writes only under its prefix, every key with a TTL', async () => {
    const prefix = uniquePrefix();
    const limiter = await connected(prefix);
    await limiter.consume('k', [{ kind: 'tokens', limit: 100, windowMs: 60_000, scope: 'model:m' }], {
      requests: 1,
      tokens: 30,
    });
    const lease = await limiter.acquire('k', 3);
    const keys = await admin.keys(`${prefix}*`);
    expect(keys.sort()).toEqual([`${prefix}{k}:concurrent`, `${prefix}{k}:model:m:tokens:60000`]);
    for (const key of keys) expect(await admin.pttl(key)).toBeGreaterThan(0);
    expect(Number(await admin.pttl(`${prefix}{k}:model:m:tokens:60000`))).toBeLessThanOrEqual(18_000);
    await lease.release();
    await limiter.close();
    await deleteKeys(admin, prefix);
  });

  it('frees a concurrency slot whose release never came once its lease expires', async () => {
    const prefix = uniquePrefix();
    const limiter = await connected(prefix, 150);
    expect((await limiter.acquire('k', 1)).allowed).toBe(true);
    expect((await limiter.acquire('k', 1)).allowed).toBe(false);
    await sleep(200);
    expect((await limiter.acquire('k', 1)).allowed).toBe(true);
    await limiter.close();
    await deleteKeys(admin, prefix);
  });

  it('shares one limit between limiter instances', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [await connected(prefix), await connected(prefix)];
    const rules = [{ kind: 'requests', limit: 2, windowMs: 60_000 }] as const;
    const cost = { requests: 1, tokens: 0 };
    expect((await a.consume('k', rules, cost)).allowed).toBe(true);
    expect((await b.consume('k', rules, cost)).allowed).toBe(true);
    expect((await a.consume('k', rules, cost)).allowed).toBe(false);
    await Promise.all([a.close(), b.close()]);
    await deleteKeys(admin, prefix);
  });
});
