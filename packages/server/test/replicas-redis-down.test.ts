import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../src/auth/index.js';
import { addModel } from './support/artifacts.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';
import { freePort, OwnRedisServer, sleep } from './support/redis.js';
import { type ServerProcess, serveProcess } from './support/server-process.js';

/**
 * Two replicas (`modelport serve` processes) on one PostgreSQL and one Redis of the test's own (a
 * free port, no persistence: the shared Redis is untouched). Redis is SIGKILLed under load: the
 * key × model limits follow `MODELPORT_RATE_LIMIT_ON_REDIS_DOWN`, nothing answers 500, and once
 * Redis is back both replicas count on it again.
 */

const LIMIT = 10;
const CALLERS = 4;
const inferBody = JSON.stringify({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }],
});
const probe = await createPostgresDatabase();
if (!probe) console.log('skipped: no PostgreSQL on 127.0.0.1:5432');
await probe?.drop();

interface Answer {
  status: number;
  retryAfter: string | null;
  body: string;
}

async function call(base: string, key: string, method: string, route: string, body?: unknown) {
  const binary = body instanceof Uint8Array;
  const res = await fetch(`${base}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': binary ? 'application/octet-stream' : 'application/json',
    },
    ...(body === undefined ? {} : { body: binary ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function infer(base: string, key: string): Promise<Answer> {
  const res = await fetch(`${base}/v2/models/adder/infer`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: inferBody,
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
}

describe.runIf(probe !== null).each(['local', 'refuse'] as const)(
  'two replicas, Redis killed under load, policy %s',
  (policy) => {
    const adminKey = generateKey();
    let db: TestDatabase;
    let redis: OwnRedisServer;
    let dataDir: string;
    const replicas: ServerProcess[] = [];
    beforeAll(async () => {
      db = (await createPostgresDatabase()) as TestDatabase;
      redis = new OwnRedisServer(await freePort());
      await redis.start();
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'mp-redis-down-'));
      const env = {
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        MODELPORT_RATE_LIMIT_ON_REDIS_DOWN: policy,
        MODELPORT_RUNNER_SPARES: '0',
      };
      replicas.push(await serveProcess(dataDir, adminKey, env));
      const base = (replicas[0] as ServerProcess).base;
      await call(base, adminKey, 'POST', '/api/v1/models', { name: 'adder' });
      await call(base, adminKey, 'POST', '/api/v1/models/adder/versions', addModel(1));
      await call(base, adminKey, 'POST', '/api/v1/deployments', { model: 'adder', threads: 1 });
      replicas.push(await serveProcess(dataDir, adminKey, env));
      // The second replica starts the deployment on its first request.
      await infer((replicas[1] as ServerProcess).base, adminKey);
    }, 90_000);
    afterAll(async () => {
      for (const r of replicas) {
        if (r.child.exitCode === null && r.child.signalCode === null) {
          r.child.kill('SIGTERM');
          await r.exited;
        }
      }
      await redis?.kill();
      await db?.drop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    /** A new key limited to LIMIT requests a minute on the deployment. */
    const limitedKey = async (limit = LIMIT) =>
      String(
        (
          await call((replicas[0] as ServerProcess).base, adminKey, 'POST', '/api/v1/keys', {
            name: 'limited',
            scopes: ['infer'],
            limits: { models: { adder: { requestsPerMinute: limit } } },
          })
        ).key,
      );

    /** `n` requests of one key, alternating between the replicas. */
    const burst = async (key: string, n: number) => {
      const answers: Answer[] = [];
      for (let i = 0; i < n; i++) answers.push(await infer((replicas[i % 2] as ServerProcess).base, key));
      return answers;
    };
    const ok = (answers: Answer[]) => answers.filter((a) => a.status === 200).length;

    it('limits by policy while Redis is away, none 500, and both replicas share Redis again once it is back', async () => {
      // Background load on both replicas with a key whose generous limit still goes through the limiter.
      const loadKey = await limitedKey(1_000_000);
      const load: Answer[] = [];
      let stop = false;
      const callers = Array.from({ length: CALLERS }, async (_, i) => {
        while (!stop) load.push(await infer((replicas[i % 2] as ServerProcess).base, loadKey));
      });

      // Redis up: one count for both replicas.
      const shared = await burst(await limitedKey(), 3 * LIMIT);
      expect(ok(shared)).toBeGreaterThanOrEqual(LIMIT);
      expect(ok(shared)).toBeLessThanOrEqual(LIMIT + 1);

      await redis.kill();
      const away = await burst(await limitedKey(), 3 * LIMIT);
      if (policy === 'local') {
        // Each replica counts on its own from zero: at most the limit on each.
        expect(ok(away)).toBeGreaterThan(LIMIT + 1);
        expect(ok(away)).toBeLessThanOrEqual(2 * (LIMIT + 1));
        expect(away.filter((a) => a.status !== 200).every((a) => a.status === 429)).toBe(true);
      } else {
        expect(away.every((a) => a.status === 503 && a.retryAfter !== null)).toBe(true);
      }

      // Redis back on the same port, empty: the replicas reconnect (retry delay at most 2 s).
      redis = new OwnRedisServer(redis.port);
      await redis.start();
      const returnedAt = Date.now();
      let probes = 0;
      for (;;) {
        const key = await limitedKey(1);
        const [a, b] = await burst(key, 2);
        probes++;
        // One request a minute between both replicas: the second is refused only when they share a count.
        if (a?.status === 200 && b?.status === 429) break;
        expect(Date.now() - returnedAt).toBeLessThan(10_000);
        await sleep(200);
      }
      const back = await burst(await limitedKey(), 3 * LIMIT);
      expect(ok(back)).toBeGreaterThanOrEqual(LIMIT);
      expect(ok(back)).toBeLessThanOrEqual(LIMIT + 1);

      stop = true;
      await Promise.all(callers);
      const all = [...load, ...shared, ...away, ...back];
      expect(all.filter((a) => a.status >= 500 && a.status !== 503).map((a) => a.body)).toEqual([]);
      for (const a of all.filter((x) => x.status === 503)) {
        expect(policy).toBe('refuse');
        expect(a.retryAfter).not.toBeNull();
      }
      if (policy === 'local') expect(load.every((a) => a.status === 200)).toBe(true);
      console.log(
        `${policy}: ${load.length} load answers (${load.filter((a) => a.status === 503).length} 503), shared again after ${Date.now() - returnedAt} ms, ${probes} probes`,
      );
    }, 90_000);
  },
);
