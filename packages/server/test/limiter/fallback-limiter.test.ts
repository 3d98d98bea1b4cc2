import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FallbackLimiter,
  type LimiterSource,
  LimiterUnavailableError,
  MemoryRateLimiter,
  RedisRateLimiter,
} from '../../src/usage/limiter/index.js';
import { freePort, OwnRedisServer, sleep, uniquePrefix, waitFor } from '../support/redis.js';

const rules = [{ kind: 'requests', limit: 2, windowMs: 60_000 }] as const;
const one = { requests: 1, tokens: 0 };

describe('FallbackLimiter when Redis goes away (own redis-server)', () => {
  let server: OwnRedisServer;
  let shared: RedisRateLimiter;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    server = new OwnRedisServer(await freePort());
    await server.start();
    shared = RedisRateLimiter.connect(server.url, { keyPrefix: prefix, commandTimeoutMs: 1_000 });
    await waitFor(() => shared.available);
  });
  afterAll(async () => {
    await shared.close();
    await server.kill();
  });

  const changes: LimiterSource[] = [];
  let local: FallbackLimiter;
  let refuse: FallbackLimiter;
  beforeAll(() => {
    local = new FallbackLimiter(shared, new MemoryRateLimiter(), 'local', {
      onSourceChange: (source) => changes.push(source),
    });
    refuse = new FallbackLimiter(shared, new MemoryRateLimiter(), 'refuse');
  });
  afterAll(async () => {
    await Promise.all([local.close(), refuse.close()]);
  });

  it("'local' keeps answering when Redis is killed mid-run, then limits from memory", async () => {
    expect((await local.consume('up', rules, one)).allowed).toBe(true);
    expect(local.source).toBe('shared');
    const running = consumeFor(local, 400);
    await sleep(100);
    await server.kill();
    expect((await running).failures).toBe(0);
    expect(local.source).toBe('local');

    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push((await local.consume('down', rules, one)).allowed);
    expect(decisions).toEqual([true, true, false]);
    const lease = await local.acquire('down', 1);
    expect(lease.allowed).toBe(true);
    await lease.release();
  });

  it("'refuse' and the bare Redis limiter report unavailable (503), never a raw error", async () => {
    await expect(shared.consume('k', rules, one)).rejects.toBeInstanceOf(LimiterUnavailableError);
    const unavailable = await refuse.consume('k', rules, one).catch((err: unknown) => err);
    expect(unavailable).toBeInstanceOf(LimiterUnavailableError);
    expect(unavailable).toMatchObject({ code: 'service_unavailable', status: 503, retryAfterS: 1 });
    await expect(refuse.acquire('k', 1)).rejects.toBeInstanceOf(LimiterUnavailableError);
    expect(refuse.source).toBe('refused');
  });

  it('uses Redis again once it is back (scripts reloaded after NOSCRIPT)', async () => {
    await server.start();
    await waitFor(() => shared.available);
    expect((await local.consume('back', rules, one)).allowed).toBe(true);
    expect(local.source).toBe('shared');
    expect((await refuse.consume('back', rules, one)).states[0]?.remaining).toBe(0);
    expect(refuse.source).toBe('shared');
    expect(changes).toEqual(['local', 'shared']);

    const admin = new Redis(server.url);
    expect(await admin.exists(`${prefix}{back}:*:requests:60000`)).toBe(1);
    await admin.quit();
  });
});

/** Calls the limiter back to back for `durationMs`; any rejection is a failure. */
async function consumeFor(limiter: FallbackLimiter, durationMs: number) {
  const deadline = Date.now() + durationMs;
  let failures = 0;
  let calls = 0;
  while (Date.now() < deadline) {
    calls += 1;
    await limiter.consume(`during-${calls}`, rules, one).catch(() => {
      failures += 1;
    });
    await sleep(5);
  }
  return { calls, failures };
}
