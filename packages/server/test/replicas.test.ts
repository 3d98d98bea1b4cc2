import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';
import { until } from './support/processes.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const database = await createPostgresDatabase();
if (!database) console.log('skipped: no PostgreSQL on 127.0.0.1:5432');

interface Answer {
  status: number;
  revision: number;
  added: number | undefined;
}

async function infer(t: TestServer, name = 'adder'): Promise<Answer> {
  const res = await t.fetch(`/v2/models/${name}/infer`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
  });
  const body = (await res.json()) as { outputs?: { data: number[] }[] };
  return {
    status: res.status,
    revision: Number(res.headers.get('x-modelport-revision')),
    added: body.outputs?.[0]?.data[0],
  };
}

const send = (t: TestServer, method: string, path: string, body?: unknown) =>
  t.fetch(path, body === undefined ? { method } : { method, headers: json, body: JSON.stringify(body) });

/**
 * Two API processes on one PostgreSQL and one artifact folder (as replicas behind a load balancer
 * share a database and a bucket): what one changes, the other serves.
 */
describe.runIf(database !== null)('replicas on one PostgreSQL follow each other', () => {
  const db = database as TestDatabase;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    a = await startTestServer({ databaseUrl: db.url });
    b = await startTestServer({ databaseUrl: db.url, dataDir: a.dataDir, adminKey: a.adminKey });
    await send(a, 'POST', '/api/v1/models', { name: 'adder' });
    for (const bias of [1, 2]) {
      const up = await a.fetch('/api/v1/models/adder/versions', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: addModel(bias),
      });
      expect(up.status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db.drop();
  });

  it('serves on its first request a deployment the other replica created', async () => {
    expect(
      (await send(a, 'POST', '/api/v1/deployments', { model: 'adder', version: 1, threads: 1 })).status,
    ).toBe(201);
    expect(await infer(b)).toMatchObject({ status: 200, added: 1 });
  }, 30_000);

  it('swaps to the version the other replica swapped to, without a failed request', async () => {
    const answers: Answer[] = [];
    let stop = false;
    const traffic = (async () => {
      while (!stop) answers.push(await infer(b));
    })();
    const swappedAt = Date.now();
    expect((await send(a, 'PATCH', '/api/v1/deployments/adder', { version: 2 })).status).toBe(200);
    const followed = await until(
      () => answers.slice(-3).every((x) => x.added === 2) && answers.length > 3,
      15_000,
    );
    const tookMs = Date.now() - swappedAt;
    stop = true;
    await traffic;
    expect(followed).toBe(true);
    expect(answers.filter((x) => x.status !== 200)).toEqual([]);
    console.log(`replica followed the swap within ${tookMs} ms (the PATCH included)`);
  }, 30_000);

  it('gives a rollout’s next fleet its share on the other replica too, and takes it back on abort', async () => {
    const started = await send(a, 'POST', '/api/v1/deployments/adder/rollouts', {
      variants: [{ variantName: 'default', modelVersion: 1, weight: 100 }],
      strategy: { type: 'canary', percent: 50, bakeSeconds: 600 },
    });
    expect(started.status).toBe(202);
    const baking = await until(async () => {
      const r = await (await a.fetch('/api/v1/deployments/adder/rollouts/current')).json();
      return (r as { state: string }).state === 'baking';
    }, 30_000);
    expect(baking).toBe(true);
    // B stages the next fleet when told; then about half of its requests go to it.
    const split = await until(
      async () => {
        const answers = await Promise.all(Array.from({ length: 40 }, () => infer(b)));
        const onNext = answers.filter((x) => x.added === 1).length;
        return onNext > 5 && onNext < 35;
      },
      20_000,
      200,
    );
    expect(split).toBe(true);
    expect((await send(a, 'POST', '/api/v1/deployments/adder/rollouts/current/abort', {})).status).toBe(200);
    const back = await until(
      async () => {
        const answers = await Promise.all(Array.from({ length: 20 }, () => infer(b)));
        return answers.every((x) => x.status === 200 && x.added === 2);
      },
      15_000,
      100,
    );
    expect(back).toBe(true);
  }, 90_000);

  it('stops serving a deployment the other replica deleted', async () => {
    const id = (
      await b.server.platform.store.db.selectFrom('deployments').select('id').executeTakeFirstOrThrow()
    ).id;
    expect(b.server.platform.engine.plans(id).length).toBeGreaterThan(0);
    expect((await send(a, 'DELETE', '/api/v1/deployments/adder')).status).toBe(204);
    expect(await until(() => b.server.platform.engine.plans(id).length === 0, 10_000)).toBe(true);
    expect((await infer(b)).status).toBe(404);
  }, 30_000);
});
