import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, OwnRedisServer } from './support/redis.js';
import { startTestServer, type TestServer } from './support/test-server.js';

it('starts with Redis unreachable and limits locally', async () => {
  // Port 6390 has no Redis: the server still starts and limits with its own counters (policy `local`).
  const t = await startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:6390' } });
  const key = await t.mintKey({ scopes: ['manage'], limits: { requestsPerMinute: 1 } });
  expect((await t.fetch('/api/v1/models', { key })).status).toBe(200);
  expect((await t.fetch('/api/v1/models', { key })).status).toBe(429);
  await t.close();
});

describe.each(['local', 'refuse'] as const)('Redis killed mid-run, policy %s', (policy) => {
  let redis: OwnRedisServer;
  let t: TestServer;
  beforeAll(async () => {
    redis = new OwnRedisServer(await freePort());
    await redis.start();
    t = await startTestServer({ env: { REDIS_URL: redis.url, MODELPORT_RATE_LIMIT_ON_REDIS_DOWN: policy } });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.kill();
  });

  it('answers as documented, never 500, and never lets a key past its limit unchecked', async () => {
    const key = await t.mintKey({ scopes: ['manage'], limits: { requestsPerMinute: 5 } });
    const before = await Promise.all(
      Array.from({ length: 3 }, () => t.fetch('/api/v1/models', { key }).then((r) => r.status)),
    );
    expect(before).toEqual([200, 200, 200]);
    await redis.kill();
    const after: number[] = [];
    for (let i = 0; i < 10; i++) after.push((await t.fetch('/api/v1/models', { key })).status);
    expect(after.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    if (policy === 'local') {
      // Local counters start afresh: at most the limit passes, then 429.
      expect(after.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
      expect(after.at(-1)).toBe(429);
    } else {
      expect(after.every((s) => s === 503)).toBe(true);
      const refused = await t.fetch('/api/v1/models', { key });
      expect(refused.headers.get('retry-after')).not.toBeNull();
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
    }
    // Keys without limits never touch the limiter and keep working either way.
    expect((await t.fetch('/api/v1/models')).status).toBe(200);
  });
});
