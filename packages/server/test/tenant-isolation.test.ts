import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { createPostgresDatabase } from './support/postgres.js';
import { createProject, otherOrganization, projectKey } from './support/tenants.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const octets = { 'content-type': 'application/octet-stream' };
const MISSING_MODEL = 'never-made';
const MISSING_KEY = 'key_NoSuchKey0000';
const MISSING_PROJECT = 'prj_NoSuchProject000000';
const infer = JSON.stringify({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }],
});

interface Probe {
  method: string;
  path: (ref: string) => string;
  body?: (ref: string) => NonNullable<RequestInit['body']>;
  headers?: Record<string, string>;
  /** A query filter: the right answer is 200 with nothing in it, as for a filter matching nothing. */
  filter?: true;
}

/** Every route that names a model, deployment, version or alias, from each protocol. */
const modelProbes: Probe[] = [
  { method: 'GET', path: (m) => `/api/v1/models/${m}` },
  { method: 'DELETE', path: (m) => `/api/v1/models/${m}` },
  { method: 'GET', path: (m) => `/api/v1/models/${m}/versions` },
  { method: 'POST', path: (m) => `/api/v1/models/${m}/versions`, body: () => addModel(7), headers: octets },
  { method: 'GET', path: (m) => `/api/v1/models/${m}/versions/1` },
  { method: 'GET', path: (m) => `/api/v1/models/${m}/versions/prod` },
  {
    method: 'PATCH',
    path: (m) => `/api/v1/models/${m}/versions/1`,
    body: () => JSON.stringify({ config: {} }),
    headers: json,
  },
  { method: 'GET', path: (m) => `/api/v1/models/${m}/versions/1/artifact` },
  {
    method: 'PUT',
    path: (m) => `/api/v1/models/${m}/aliases/prod`,
    body: () => JSON.stringify({ version: 1 }),
    headers: json,
  },
  { method: 'DELETE', path: (m) => `/api/v1/models/${m}/aliases/prod` },
  {
    method: 'POST',
    path: () => '/api/v1/deployments',
    body: (m) => JSON.stringify({ model: m, name: 'copy' }),
    headers: json,
  },
  { method: 'GET', path: (m) => `/api/v1/deployments/${m}` },
  {
    method: 'PATCH',
    path: (m) => `/api/v1/deployments/${m}`,
    body: () => JSON.stringify({ instances: 1 }),
    headers: json,
  },
  { method: 'DELETE', path: (m) => `/api/v1/deployments/${m}` },
  { method: 'GET', path: (m) => `/v2/models/${m}` },
  { method: 'GET', path: (m) => `/v2/models/${m}/versions/1` },
  { method: 'GET', path: (m) => `/v2/models/${m}/ready` },
  { method: 'POST', path: (m) => `/v2/models/${m}/infer`, body: () => infer, headers: json },
  { method: 'POST', path: (m) => `/v2/models/${m}/versions/1/infer`, body: () => infer, headers: json },
  { method: 'GET', path: (m) => `/v1/models/${m}` },
  {
    method: 'POST',
    path: () => '/v1/chat/completions',
    body: (m) => JSON.stringify({ model: m, messages: [{ role: 'user', content: 'hi' }] }),
    headers: json,
  },
  {
    method: 'POST',
    path: () => '/v1/completions',
    body: (m) => JSON.stringify({ model: m, prompt: 'hi' }),
    headers: json,
  },
  {
    method: 'POST',
    path: () => '/v1/embeddings',
    body: (m) => JSON.stringify({ model: m, input: 'hi' }),
    headers: json,
  },
  {
    method: 'POST',
    path: () => '/v1/audio/transcriptions',
    body: (m) => {
      const form = new FormData();
      form.set('model', m);
      form.set('file', new Blob([new Uint8Array(64)]), 'a.wav');
      return form;
    },
  },
  { method: 'GET', path: (m) => `/api/v1/models/${m}/price` },
  { method: 'PUT', path: (m) => `/api/v1/models/${m}/price`, body: () => '{"perRequest":1}', headers: json },
  { method: 'DELETE', path: (m) => `/api/v1/models/${m}/price` },
  { method: 'GET', path: (m) => `/api/v1/usage?model=${m}`, filter: true },
  {
    method: 'POST',
    path: (m) => `/api/v1/predict/${m}`,
    body: () => JSON.stringify({ rows: [{ x: 1 }] }),
    headers: json,
  },
];

const keyProbes: Probe[] = [
  { method: 'GET', path: (id) => `/api/v1/keys/${id}` },
  { method: 'DELETE', path: (id) => `/api/v1/keys/${id}` },
  {
    method: 'POST',
    path: (id) => `/api/v1/keys/${id}/rotate`,
    body: () => JSON.stringify({ gracePeriodSeconds: 0 }),
    headers: json,
  },
  { method: 'PUT', path: (id) => `/api/v1/budgets/keys/${id}`, body: () => '{"limit":1}', headers: json },
  { method: 'GET', path: (id) => `/api/v1/usage?key=${id}`, filter: true },
];

const budgetProbes: Probe[] = [
  { method: 'GET', path: (id) => `/api/v1/budgets/${id}` },
  { method: 'DELETE', path: (id) => `/api/v1/budgets/${id}` },
];

const projectProbes: Probe[] = [
  { method: 'GET', path: (id) => `/api/v1/projects/${id}` },
  { method: 'GET', path: (id) => `/api/v1/audit?project=${id}` },
  {
    method: 'POST',
    path: (id) => `/api/v1/projects/${id}/keys`,
    body: () => JSON.stringify({ scopes: ['infer'] }),
    headers: json,
  },
];

const pgDb = await createPostgresDatabase();
if (!pgDb) console.log('skipped: tenant isolation on PostgreSQL (no PostgreSQL on 127.0.0.1:5432)');

describe.each([
  { store: 'sqlite', databaseUrl: undefined, skip: false },
  { store: 'postgres', databaseUrl: pgDb?.url, skip: pgDb === null },
])('tenant isolation on $store', ({ databaseUrl, skip }) => {
  let t: TestServer;
  let alpha: { id: string };
  let keyA: string;
  let keyB: string;
  let innerKeyId: string;
  let budgetId: string;

  const send = (key: string, probe: Probe, ref: string) => {
    const init: RequestInit & { key: string } = { method: probe.method, key };
    if (probe.headers) init.headers = probe.headers;
    if (probe.body) init.body = probe.body(ref);
    return t.fetch(probe.path(ref), init);
  };

  /** Status and body with the request id dropped and the name replaced: what a caller can learn. */
  async function seen(res: Response, ref: string): Promise<{ status: number; body: string }> {
    const text = (await res.text()).replace(/"requestId":"[^"]*"/, '').replaceAll(ref, '<ref>');
    return { status: res.status, body: text };
  }

  /** B's answer about A's object is exactly its answer about an object that does not exist. */
  async function expectHidden(key: string, probes: Probe[], ref: string, missing: string) {
    for (const probe of probes) {
      const hidden = await seen(await send(key, probe, ref), ref);
      const absent = await seen(await send(key, probe, missing), missing);
      expect({ probe: probe.path('*'), ...hidden }).toEqual({ probe: probe.path('*'), ...absent });
      const where = `${probe.method} ${probe.path(ref)}: ${hidden.body}`;
      if (probe.filter) expect(JSON.parse(hidden.body).data, where).toEqual([]);
      else expect([403, 404], where).toContain(hidden.status);
    }
  }

  beforeAll(async () => {
    if (skip) return;
    t = await startTestServer(databaseUrl ? { databaseUrl } : {});
    alpha = await createProject(t, 'alpha');
    const beta = await createProject(t, 'beta');
    keyA = (await projectKey(t, alpha.id, ['admin'])).key;
    keyB = (await projectKey(t, beta.id, ['admin'])).key;
    innerKeyId = (await projectKey(t, alpha.id, ['infer'], { name: 'alpha-app' })).id;
    const asA = (path: string, init: RequestInit) => t.fetch(path, { ...init, key: keyA });
    await asA('/api/v1/models', { method: 'POST', headers: json, body: JSON.stringify({ name: 'adder' }) });
    await asA('/api/v1/models/adder/versions', { method: 'POST', headers: octets, body: addModel(1) });
    await asA('/api/v1/models/adder/aliases/prod', {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ version: 1 }),
    });
    const dep = await asA('/api/v1/deployments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'adder' }),
    });
    if (dep.status !== 201) throw new Error(`deploy: ${await dep.text()}`);
    // Usage of A's: a priced inference by A's own key, and a budget on it.
    await asA('/api/v1/models/adder/price', { method: 'PUT', headers: json, body: '{"perRequest":0.5}' });
    expect((await asA('/v2/models/adder/infer', { method: 'POST', headers: json, body: infer })).status).toBe(
      200,
    );
    const budget = await asA(`/api/v1/budgets/keys/${innerKeyId}`, {
      method: 'PUT',
      headers: json,
      body: '{"limit":10}',
    });
    budgetId = ((await budget.json()) as { id: string }).id;
  }, 60_000);
  afterAll(async () => {
    if (!skip) await t.close();
    if (databaseUrl) await pgDb?.drop();
  });

  it.skipIf(skip)("A's key reaches its objects (the control for the checks below)", async () => {
    for (const path of ['/api/v1/models/adder', '/api/v1/deployments/adder', '/v2/models/adder']) {
      expect((await t.fetch(path, { key: keyA })).status).toBe(200);
    }
    expect((await t.fetch(`/api/v1/keys/${innerKeyId}`, { key: keyA })).status).toBe(200);
    expect((await t.fetch(`/api/v1/projects/${alpha.id}`, { key: keyA })).status).toBe(200);
    expect(await (await t.fetch('/api/v1/usage', { key: keyA })).text()).toContain('adder');
    expect(await (await t.fetch('/api/v1/budgets', { key: keyA })).text()).toContain(budgetId);
    // Found, then refused for what it is: not a text model, no predict pipeline.
    const chat = await send(
      keyA,
      modelProbes.find((p) => p.path('') === '/v1/chat/completions') as Probe,
      'adder',
    );
    expect(chat.status).toBe(400);
  });

  it.skipIf(skip)(
    "B's key gets the same 404 for A's models, versions, aliases and deployments as for none",
    async () => {
      await expectHidden(keyB, modelProbes, 'adder', MISSING_MODEL);
    },
  );

  it.skipIf(skip)("B's key gets the same 404 for A's keys and project as for none", async () => {
    await expectHidden(keyB, keyProbes, innerKeyId, MISSING_KEY);
    await expectHidden(keyB, projectProbes, alpha.id, MISSING_PROJECT);
    await expectHidden(keyB, budgetProbes, budgetId, 'bgt_NoSuchBudget000000');
    expect((await t.fetch(`/api/v1/projects/${alpha.id}`, { key: keyB })).status).toBe(404);
  });

  it.skipIf(skip)("B's listings leave A's objects out, and B may reuse A's names", async () => {
    const lists = ['/api/v1/models', '/api/v1/deployments', '/api/v1/keys', '/v1/models', '/api/v1/audit'];
    const usage = ['/api/v1/usage', '/api/v1/usage/export', '/api/v1/prices', '/api/v1/budgets'];
    for (const path of [...lists, ...usage]) {
      const res = await t.fetch(path, { key: keyB });
      expect(res.status, path).toBe(200);
      const text = await res.text();
      for (const secret of ['adder', innerKeyId, budgetId, alpha.id])
        expect(text, `${path} shows ${secret}`).not.toContain(secret);
    }
    const own = await t.fetch('/api/v1/models', {
      method: 'POST',
      key: keyB,
      headers: json,
      body: JSON.stringify({ name: 'adder' }),
    });
    expect(own.status).toBe(201);
    expect((await t.fetch('/v2/models/adder', { key: keyB })).status).toBe(404);
  });

  it.skipIf(skip)("A's objects are untouched by B's attempts", async () => {
    const model = (await (await t.fetch('/api/v1/models/adder', { key: keyA })).json()) as {
      latestVersion: number;
      aliases: Record<string, number>;
    };
    expect(model).toMatchObject({ latestVersion: 1, aliases: { prod: 1 } });
    expect((await t.fetch('/v2/models/adder/ready', { key: keyA })).status).toBe(200);
    const key = (await (await t.fetch(`/api/v1/keys/${innerKeyId}`, { key: keyA })).json()) as {
      revokedAt: string | null;
      rotatedAt: string | null;
    };
    expect(key).toMatchObject({ revokedAt: null, rotatedAt: null });
  });

  it.skipIf(skip)('a project of another organization is not found, even by its org_admin', async () => {
    const other = await otherOrganization(t);
    await expectHidden(other.key, projectProbes, alpha.id, MISSING_PROJECT);
    await expectHidden(other.key, modelProbes.slice(0, 3), 'adder', MISSING_MODEL);
    const listed = await (await t.fetch('/api/v1/projects', { key: other.key })).text();
    expect(listed).toContain(other.projectId);
    expect(listed).not.toContain(alpha.id);
    const back = await t.fetch(`/api/v1/projects/${other.projectId}`);
    expect(back.status).toBe(404);
  });
});
