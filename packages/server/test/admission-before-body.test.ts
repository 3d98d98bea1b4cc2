import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { slowModelBytes } from './support/misbehaving-models.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const body = JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] });
const HUGE = 50 * 1024 * 1024;

interface EarlyAnswer {
  status: number;
  /** The catalog code (management and OpenAI shapes), or OIP's message. */
  code: string;
  retryAfter?: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * Sends the headers of a POST announcing `HUGE` bytes, and only the first KiB of them: the answer
 * can only come before the body was read.
 */
function headersOnly(
  t: TestServer,
  path: string,
  key = t.adminKey,
  contentType = 'application/json',
): Promise<EarlyAnswer> {
  const url = new URL(path, t.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': contentType,
          'content-length': String(HUGE),
          authorization: `Bearer ${key}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString()) as {
            error?: string | { code?: string };
            code?: string;
          };
          const error = parsed.error;
          resolve({
            status: res.statusCode ?? 0,
            code: String(typeof error === 'object' ? error.code : (parsed.code ?? error ?? '')),
            ...(res.headers['retry-after'] ? { retryAfter: String(res.headers['retry-after']) } : {}),
            headers: res.headers,
          });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    req.write(Buffer.alloc(1024, 0x20));
    setTimeout(() => reject(new Error(`no answer from ${path} before the body was sent`)), 10_000).unref();
  });
}

/** Every model route, as a request that names deployment `name` where its path can. */
const modelRoutes = (name: string) => [
  { path: `/v2/models/${name}/infer`, type: 'application/json' },
  { path: `/api/v1/predict/${name}`, type: 'application/json' },
  { path: '/v1/chat/completions', type: 'application/json' },
  { path: '/v1/completions', type: 'application/json' },
  { path: '/v1/embeddings', type: 'application/json' },
  { path: '/v1/audio/transcriptions', type: 'multipart/form-data; boundary=x' },
];

describe('admission before the body', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await deployModel(
      t,
      { name: 'slow', bytes: slowModelBytes(200) },
      { threads: 1, maxQueueSize: 1, timeoutMs: 60_000 },
    );
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const infer = (name: string, key?: string) =>
    t.fetch(`/v2/models/${name}/infer`, { method: 'POST', headers: json, body, ...(key ? { key } : {}) });

  it('refuses an unknown deployment without reading the body (OIP and predict)', async () => {
    expect((await headersOnly(t, '/v2/models/no-such-model/infer')).status).toBe(404);
    expect(await headersOnly(t, '/api/v1/predict/no-such-model')).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    expect((await headersOnly(t, '/api/v1/predict/no-such-model:2')).code).toBe('model_not_found');
  });

  it('refuses a request past every queue with 503 and Retry-After, without reading its body', async () => {
    // One running and one queued fill the only instance (queue 1 + a batch of 1).
    const busy = [infer('slow'), infer('slow')];
    const pool = () =>
      t.server.platform.engine.pools(
        t.server.platform.engine.activePools().find((p) => p.plan.name === 'slow')?.plan.deploymentId ?? '',
      )[0];
    const deadline = Date.now() + 10_000;
    while ((pool()?.outstanding ?? 0) < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(pool()?.outstanding).toBe(2);
    expect(await headersOnly(t, '/v2/models/slow/infer')).toMatchObject({ status: 503, retryAfter: '1' });
    expect(await headersOnly(t, '/api/v1/predict/slow')).toMatchObject({
      status: 503,
      code: 'queue_full',
      retryAfter: '1',
    });
    const answers = await Promise.all(busy);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    // Room again: a request goes through.
    expect((await infer('slow')).status).toBe(200);
  }, 60_000);

  it('refuses a key over its key × model limit before the body, with Retry-After and the limit headers', async () => {
    const key = await t.mintKey({
      name: 'one-a-minute',
      scopes: ['infer'],
      limits: { models: { adder: { requestsPerMinute: 1 } } },
    });
    expect((await infer('adder', key)).status).toBe(200);
    for (const path of ['/v2/models/adder/infer', '/api/v1/predict/adder']) {
      const refused = await headersOnly(t, path, key);
      expect(refused.status, path).toBe(429);
      expect(Number(refused.retryAfter), path).toBeGreaterThanOrEqual(1);
      expect(refused.headers['x-ratelimit-remaining-requests'], path).toBe('0');
    }
    // The limit is on that model only: another one still answers.
    expect((await infer('slow', key)).status).toBe(200);
  }, 30_000);

  it('refuses a key over its own requests per minute before the body on every route', async () => {
    const key = await t.mintKey({ name: 'key-rate', scopes: ['infer'], limits: { requestsPerMinute: 1 } });
    expect((await infer('adder', key)).status).toBe(200);
    for (const route of modelRoutes('adder')) {
      const refused = await headersOnly(t, route.path, key, route.type);
      expect(refused.status, route.path).toBe(429);
      expect(refused.retryAfter, route.path).toBeDefined();
    }
  });

  it('refuses a key whose tokens per minute are used up before the body of a language-model route', async () => {
    const key = await t.mintKey({ name: 'no-tokens', scopes: ['infer'], limits: { tokensPerMinute: 1 } });
    // Spends the key's tokens through the limiter as a completion would (charged past the limit).
    await t.server.platform.limiter.consume(
      `key:key_${key.slice(4, 16)}`,
      [{ kind: 'tokens', limit: 1, windowMs: 60_000 }],
      { requests: 0, tokens: 5, force: true },
    );
    for (const path of ['/v1/chat/completions', '/v1/completions', '/v1/embeddings']) {
      const refused = await headersOnly(t, path, key);
      expect(refused, path).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
      expect(refused.headers['x-ratelimit-remaining-tokens'], path).toBe('0');
    }
    // Tensor routes count no tokens: the key still infers.
    expect((await infer('adder', key)).status).toBe(200);
  });

  it('refuses a key whose budget is spent before the body on every model route, in each protocol’s shape', async () => {
    const price = await t.fetch('/api/v1/models/adder/price', {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ perRequest: 1, perComputeSecond: 0 }),
    });
    expect(price.status).toBe(200);
    const created = await t.fetch('/api/v1/keys', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'spent', scopes: ['infer'] }),
    });
    const { id, key } = (await created.json()) as { id: string; key: string };
    const budget = await t.fetch(`/api/v1/budgets/keys/${id}`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ limit: 1, period: 'never' }),
    });
    expect(budget.status).toBe(200);
    expect((await infer('adder', key)).status).toBe(200);
    for (const route of modelRoutes('adder')) {
      const refused = await headersOnly(t, route.path, key, route.type);
      expect(refused.status, route.path).toBe(429);
      // OIP errors carry a message only; the others the catalog code.
      if (!route.path.startsWith('/v2/')) expect(refused.code, route.path).toBe('insufficient_quota');
      expect(refused.retryAfter, route.path).toBeUndefined();
    }
    await t.fetch('/api/v1/models/adder/price', { method: 'DELETE' });
  });
});

const database = await createPostgresDatabase();
if (!database) console.log('skipped: ledger backlog before the body (no PostgreSQL on 127.0.0.1:5432)');

describe.runIf(database !== null)('admission before the body: the ledger behind', () => {
  const db = database as TestDatabase;
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      databaseUrl: db.url,
      env: { MODELPORT_LEDGER_DURABILITY: 'async', MODELPORT_MAX_LEDGER_BACKLOG: '1' },
    });
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await db.drop();
  });

  it('answers 503 usage_ledger_unavailable with Retry-After on every model route while its backlog is full', async () => {
    // The ledger's table locked from another connection: its commits wait, its backlog fills.
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table usage_events in access exclusive mode');
      const answered = await t.fetch('/v2/models/adder/infer', { method: 'POST', headers: json, body });
      expect(answered.status).toBe(200);
      for (const route of modelRoutes('adder')) {
        const refused = await headersOnly(t, route.path, t.adminKey, route.type);
        expect(refused.status, route.path).toBe(503);
        expect(refused.retryAfter, route.path).toBe('1');
        if (!route.path.startsWith('/v2/')) expect(refused.code, route.path).toBe('usage_ledger_unavailable');
      }
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    // The row committed, room again.
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await t.fetch('/v2/models/adder/infer', { method: 'POST', headers: json, body })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  }, 60_000);
});
