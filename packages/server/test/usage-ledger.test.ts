import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { ledgerRowOf, ledgerRows } from './support/ledger-rows.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const inferBody = JSON.stringify({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }],
});

interface Bucket {
  key?: string;
  model?: string;
  day?: string;
  requests: number;
  errors: number;
  computeMs: number;
  cost: number;
}

const setUp = (t: TestServer) =>
  deployModel(t, { name: 'adder', bytes: addModel(1) }, { name: 'adder-live' });

const infer = (t: TestServer, key: string, body = inferBody) =>
  t.fetch('/v2/models/adder-live/infer', { method: 'POST', headers: json, body, key });

const pgDb = await createPostgresDatabase();
if (!pgDb) console.log('skipped: usage ledger on PostgreSQL (no PostgreSQL on 127.0.0.1:5432)');

function suite(name: string, db: TestDatabase | undefined) {
  describe(name, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(db ? { databaseUrl: db.url } : {});
      await setUp(t);
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await db?.drop();
    });

    const usage = async (query: string) => {
      const res = await t.fetch(`/api/v1/usage?${query}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: Bucket[] }).data;
    };

    it('writes one row per request that reached a model, keyed by the server request id', async () => {
      const key = await t.mintKey({ name: 'rows', scopes: ['infer'] });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await infer(t, key);
        expect(res.status).toBe(200);
        ids.push(res.headers.get('x-request-id') as string);
      }
      // A tensor the codec refuses never reaches the model: no row.
      const bad = await infer(
        t,
        key,
        JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1] }] }),
      );
      expect(bad.status).toBe(400);
      // The runner refuses an input name the model lacks: that request reached it and has a row.
      const unknownInput = await infer(
        t,
        key,
        JSON.stringify({ inputs: [{ name: 'nope', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] }),
      );
      expect(unknownInput.status).toBe(400);
      const csv = await (await t.fetch('/api/v1/usage/export')).text();
      const lines = csv.trim().split('\r\n');
      expect(lines[0]).toMatch(/^request_id,client_request_id,finished_at,/);
      for (const id of ids) expect(lines.filter((l) => l.startsWith(`${id},`))).toHaveLength(1);
      expect(lines.some((l) => l.startsWith(`${bad.headers.get('x-request-id')},`))).toBe(false);
      const refused = lines.find((l) => l.startsWith(`${unknownInput.headers.get('x-request-id')},`));
      expect(refused).toContain(',400,invalid_tensor,');
      const [bucket] = await usage('groupBy=key,model');
      const metrics = await (await t.fetch('/metrics')).text();
      expect(
        Number(/^modelport_usage_ledger_committed_rows (\d+)$/m.exec(metrics)?.[1]),
      ).toBeGreaterThanOrEqual(6);
      expect(metrics).toMatch(/^modelport_usage_ledger_backlog_rows 0$/m);
      const mine = (await usage('groupBy=key,model')).find((b) => b.key === `key_${key.slice(4, 16)}`);
      expect(bucket).toBeDefined();
      expect(mine).toMatchObject({ model: 'adder', requests: 6, errors: 1 });
      expect(mine?.computeMs).toBeGreaterThan(0);
    });

    it("sums by project and by version, within the caller's project only", async () => {
      const key = await t.mintKey({ name: 'versions', scopes: ['infer'] });
      expect((await infer(t, key)).status).toBe(200);
      const rows = await ledgerRows(t);
      const project = rows[0]?.project as string;
      const [byProject, ...others] = await usage('groupBy=project');
      expect(others).toEqual([]);
      expect(byProject).toMatchObject({ project, requests: rows.length });
      expect(byProject).not.toHaveProperty('key');
      const byVersion = await usage('groupBy=model,version');
      expect(byVersion).toEqual([
        expect.objectContaining({ model: 'adder', version: 1, requests: rows.length }),
      ]);
      const mine = key.slice(4, 16);
      expect(await usage(`groupBy=project,key,version&key=key_${mine}`)).toEqual([
        expect.objectContaining({ project, key: `key_${mine}`, version: 1, requests: 1 }),
      ]);
      expect((await t.fetch('/api/v1/usage?groupBy=version,colour')).status).toBe(400);
      // Paged one group at a time, the cursors walk the same groups in the same order.
      const whole = await usage('groupBy=key');
      expect(whole.length).toBeGreaterThan(1);
      const paged: Bucket[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const res = await t.fetch(`/api/v1/usage?groupBy=key&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        const page = (await res.json()) as { data: Bucket[]; nextCursor: string | null };
        expect(page.data).toHaveLength(1);
        paged.push(...page.data);
        cursor = page.nextCursor;
      }
      expect(paged).toEqual(whole);
    });

    it('keeps a caller id beside its own, so a reused caller id never merges two rows', async () => {
      const key = await t.mintKey({ name: 'ids', scopes: ['infer'] });
      const a = await t.fetch('/v2/models/adder-live/infer', {
        method: 'POST',
        headers: { ...json, 'x-request-id': 'same-id' },
        body: inferBody,
        key,
      });
      const b = await t.fetch('/v2/models/adder-live/infer', {
        method: 'POST',
        headers: { ...json, 'x-request-id': 'same-id' },
        body: inferBody,
        key,
      });
      expect(a.headers.get('x-client-request-id')).toBe('same-id');
      expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
      const csv = await (await t.fetch('/api/v1/usage/export')).text();
      expect(csv.split('\r\n').filter((l) => l.split(',')[1] === 'same-id')).toHaveLength(2);
    });

    it('prices requests, sums them by key, model and day, and refuses a spent budget before any work', async () => {
      const put = await t.fetch('/api/v1/models/adder/price', {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ perRequest: 0.25, perComputeSecond: 0 }),
      });
      expect(put.status).toBe(200);
      const created = await t.fetch('/api/v1/keys', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'budgeted', scopes: ['infer'] }),
      });
      const { id, key } = (await created.json()) as { id: string; key: string };
      const budget = await t.fetch(`/api/v1/budgets/keys/${id}`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ limit: 0.5, period: 'day' }),
      });
      expect(budget.status).toBe(200);
      expect(await budget.json()).toMatchObject({
        scope: 'key',
        target: id,
        limit: 0.5,
        spent: 0,
        period: 'day',
      });
      expect((await infer(t, key)).status).toBe(200);
      expect((await infer(t, key)).status).toBe(200);
      const over = await infer(t, key);
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toBeNull();
      expect(over.headers.get('x-should-retry')).toBe('false');
      expect(((await over.json()) as { error: string }).error).toMatch(/budget/);
      const [row] = (await usage(`groupBy=key&key=${id}`)) as Bucket[];
      expect(row).toMatchObject({ key: id, requests: 2, cost: 0.5 });
      const today = new Date().toISOString().slice(0, 10);
      expect(await usage(`groupBy=model,day&key=${id}`)).toEqual([
        expect.objectContaining({ model: 'adder', day: today, requests: 2 }),
      ]);
      const list = (await (await t.fetch('/api/v1/budgets')).json()) as {
        data: { target: string; spent: number; remaining: number }[];
      };
      expect(list.data.find((b) => b.target === id)).toMatchObject({ spent: 0.5, remaining: 0 });
      const audit = (await (await t.fetch('/api/v1/audit?action=budget.set')).json()) as {
        data: { action: string; target: string }[];
      };
      expect(audit.data[0]?.action).toBe('budget.set');
      expect(
        ((await (await t.fetch('/api/v1/audit?action=price.set')).json()) as { data: unknown[] }).data,
      ).toHaveLength(1);
      // Raising the budget lets the key through again at once.
      await t.fetch(`/api/v1/budgets/keys/${id}`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ limit: 1, period: 'day' }),
      });
      expect((await infer(t, key)).status).toBe(200);
      await t.fetch('/api/v1/models/adder/price', { method: 'DELETE' });
    });

    it('limits a key on one model apart from the others, with OpenAI rate-limit headers', async () => {
      const key = await t.mintKey({
        name: 'per-model',
        scopes: ['infer'],
        limits: { models: { 'adder-live': { requestsPerMinute: 2 } } },
      });
      const first = await infer(t, key);
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
      expect((await infer(t, key)).status).toBe(200);
      const over = await infer(t, key);
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(over.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    });

    it('refuses every key of a project whose budget is spent, until the budget is removed', async () => {
      await t.fetch('/api/v1/models/adder/price', {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ perRequest: 1 }),
      });
      const a = await t.mintKey({ name: 'project-a', scopes: ['infer'] });
      const b = await t.mintKey({ name: 'project-b', scopes: ['infer'] });
      const put = await t.fetch('/api/v1/budgets/project', {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ limit: 1, period: 'never' }),
      });
      expect(put.status).toBe(200);
      const budget = (await put.json()) as { id: string; scope: string; resetsAt: string | null };
      expect(budget).toMatchObject({ scope: 'project', resetsAt: null });
      expect((await infer(t, a)).status).toBe(200);
      const refused = await infer(t, b);
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: string }).error).toMatch(
        /This project has spent its budget/,
      );
      // Management routes are not model requests: they still answer.
      expect((await t.fetch('/api/v1/usage')).status).toBe(200);
      expect((await t.fetch(`/api/v1/budgets/${budget.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await infer(t, b)).status).toBe(200);
      await t.fetch('/api/v1/models/adder/price', { method: 'DELETE' });
    });

    it('answers bad usage queries with 400 and bad price targets with 404', async () => {
      expect((await t.fetch('/api/v1/usage?groupBy=colour')).status).toBe(400);
      expect((await t.fetch('/api/v1/usage?from=yesterday')).status).toBe(400);
      const putPrice = (model: string, body: string) =>
        t.fetch(`/api/v1/models/${model}/price`, { method: 'PUT', headers: json, body });
      expect((await putPrice('nothing', '{"perRequest":1}')).status).toBe(404);
      expect((await t.fetch('/api/v1/models/adder/price')).status).toBe(404);
      const negative = await putPrice('adder', '{"perRequest":-1}');
      expect(negative.status).toBe(400);
      expect(
        (
          await t.fetch('/api/v1/budgets/keys/key_nope', {
            method: 'PUT',
            headers: json,
            body: '{"limit":1}',
          })
        ).status,
      ).toBe(404);
    });
  });
}

suite('usage ledger, prices and budgets (SQLite)', undefined);
describe.skipIf(!pgDb)('on PostgreSQL', () =>
  suite('usage ledger, prices and budgets (PostgreSQL)', pgDb ?? undefined),
);

describe('usage ledger with durability async', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { MODELPORT_LEDGER_DURABILITY: 'async' } });
    await setUp(t);
  }, 60_000);
  afterAll(async () => t?.close());

  it('still writes exactly one row per request, committed in the background', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await infer(t, t.adminKey);
      expect(res.status).toBe(200);
      ids.push(res.headers.get('x-request-id') as string);
    }
    for (const id of ids)
      expect(await ledgerRowOf(t, id)).toMatchObject({ status: '200', endpoint: 'oip.infer' });
    expect(await ledgerRows(t)).toHaveLength(5);
  });
});
