import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { createPostgresDatabase } from './support/postgres.js';
import { createProject } from './support/tenants.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

interface Entry {
  id: string;
  project: string | null;
  key: string | null;
  action: string;
  target: string;
  detail: Record<string, unknown>;
  requestId: string | null;
  createdAt: string;
}

interface Page {
  data: Entry[];
  nextCursor: string | null;
}

const pgDb = await createPostgresDatabase();
if (!pgDb) console.log('skipped: audit log on PostgreSQL (no PostgreSQL on 127.0.0.1:5432)');

describe.each([
  { store: 'sqlite', databaseUrl: undefined, skip: false },
  { store: 'postgres', databaseUrl: pgDb?.url, skip: pgDb === null },
])('audit log on $store', ({ databaseUrl, skip }) => {
  let t: TestServer;
  let adminKeyId: string;
  let defaultProject: string;
  /** What each action answered: its request id, and any secret that must not reach the log. */
  const done: { action: string; target: string; requestId: string }[] = [];
  const secrets: string[] = [];

  async function act(action: string, target: string, path: string, init: RequestInit, status: number) {
    const res = await t.fetch(path, init);
    expect(res.status, `${action}: ${await res.clone().text()}`).toBe(status);
    done.push({ action, target, requestId: res.headers.get('x-request-id') ?? '' });
    const body = res.status === 204 ? null : ((await res.json()) as Record<string, unknown>);
    if (typeof body?.key === 'string') secrets.push(body.key);
    return body;
  }
  const post = (body: unknown): RequestInit => ({
    method: 'POST',
    headers: json,
    body: JSON.stringify(body),
  });
  const audit = async (query = '', key = t.adminKey): Promise<Page> => {
    const res = await t.fetch(`/api/v1/audit${query}`, { key });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Page;
  };

  beforeAll(async () => {
    if (skip) return;
    t = await startTestServer(databaseUrl ? { databaseUrl } : {});
    secrets.push(t.adminKey);
    adminKeyId = `key_${t.adminKey.slice(4, 16)}`;
    defaultProject = t.server.bootstrap.projectId;
    const key = await act('key.create', '', '/api/v1/keys', post({ name: 'ci', scopes: ['manage'] }), 201);
    const keyId = String(key?.id);
    (done.at(-1) as { target: string }).target = keyId;
    await act('key.rotate', keyId, `/api/v1/keys/${keyId}/rotate`, post({ gracePeriodSeconds: 60 }), 200);
    await act('key.revoke', keyId, `/api/v1/keys/${keyId}`, { method: 'DELETE' }, 200);
    await act('model.create', 'adder', '/api/v1/models', post({ name: 'adder' }), 201);
    const upload = {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: addModel(1),
    };
    await act('version.upload', 'adder:1', '/api/v1/models/adder/versions', upload, 201);
    const patch = { method: 'PATCH', headers: json, body: JSON.stringify({ config: { note: 'x' } }) };
    await act('version.update', 'adder:1', '/api/v1/models/adder/versions/1', patch, 200);
    const alias = { method: 'PUT', headers: json, body: JSON.stringify({ version: 1 }) };
    await act('alias.set', 'adder@prod', '/api/v1/models/adder/aliases/prod', alias, 200);
    await act('alias.delete', 'adder@prod', '/api/v1/models/adder/aliases/prod', { method: 'DELETE' }, 204);
    await act('deployment.create', 'adder', '/api/v1/deployments', post({ model: 'adder' }), 201);
    const scale = { method: 'PATCH', headers: json, body: JSON.stringify({ version: 1, instances: 1 }) };
    await act('deployment.update', 'adder', '/api/v1/deployments/adder', scale, 200);
    await act('deployment.delete', 'adder', '/api/v1/deployments/adder', { method: 'DELETE' }, 204);
    await act('model.delete', 'adder', '/api/v1/models/adder', { method: 'DELETE' }, 204);
  }, 60_000);
  afterAll(async () => {
    if (!skip) await t.close();
    if (databaseUrl) await pgDb?.drop();
  });

  it.skipIf(skip)(
    'records every management action once, newest first, with who, what and which',
    async () => {
      const page = await audit();
      expect(page.nextCursor).toBeNull();
      const expected = [...done].reverse();
      expect(page.data.map((e) => [e.action, e.target, e.requestId])).toEqual(
        expected.map((d) => [d.action, d.target, d.requestId]),
      );
      for (const entry of page.data) {
        expect(entry).toMatchObject({ project: defaultProject, key: adminKeyId });
        expect(entry.id).toMatch(/^aud_/);
        expect(Date.parse(entry.createdAt)).not.toBeNaN();
      }
      const byAction = Object.fromEntries(page.data.map((e) => [e.action, e.detail]));
      expect(byAction['key.create']).toMatchObject({ name: 'ci', scopes: ['manage'] });
      expect(byAction['key.rotate']).toHaveProperty('previousValidUntil');
      expect(byAction['version.upload']).toMatchObject({ format: 'onnx', version: 1 });
      expect(byAction['deployment.update']).toMatchObject({ model: 'adder', version: 1, instances: 1 });
    },
  );

  it.skipIf(skip)('never records a secret', async () => {
    const text = JSON.stringify(await audit());
    expect(secrets.length).toBeGreaterThan(2);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"(key|hash)":"mpk_|"hash"/);
  });

  it.skipIf(skip)('records neither refused actions nor reads', async () => {
    const before = (await audit()).data.length;
    await t.fetch('/api/v1/models', post({ name: 'twice' }));
    expect((await t.fetch('/api/v1/models', post({ name: 'twice' }))).status).toBe(409);
    expect((await t.fetch('/api/v1/models/none', { method: 'DELETE' })).status).toBe(404);
    const infer = await t.mintKey({ scopes: ['infer'] });
    expect((await t.fetch('/api/v1/models', { ...post({ name: 'nope' }), key: infer })).status).toBe(403);
    await t.fetch('/api/v1/models');
    await t.fetch('/api/v1/keys');
    const after = await audit();
    expect(after.data.length).toBe(before + 2);
    expect(after.data.slice(0, 2).map((e) => e.action)).toEqual(['key.create', 'model.create']);
  });

  it.skipIf(skip)('pages with limit and before, and filters by action', async () => {
    const all = (await audit('?limit=200')).data;
    const seen: Entry[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await audit(`?limit=3${cursor ? `&before=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    const keys = await audit('?action=key.create');
    expect(keys.data.length).toBe(2);
    expect(keys.data.every((e) => e.action === 'key.create')).toBe(true);
    for (const query of ['?limit=0', '?limit=201', '?action=key.explode']) {
      expect((await t.fetch(`/api/v1/audit${query}`)).status).toBe(400);
    }
  });

  it.skipIf(skip)('logs a project under that project; only an org admin reads another project', async () => {
    const project = await createProject(t, 'logged');
    const minted = await t.fetch(
      `/api/v1/projects/${project.id}/keys`,
      post({ name: 'ops', scopes: ['admin'] }),
    );
    const { key, id } = (await minted.json()) as { key: string; id: string };
    const own = await audit('', key);
    expect(own.data.map((e) => [e.action, e.target, e.key])).toEqual([['key.create', id, adminKeyId]]);
    expect(own.data[0]?.detail).toMatchObject({ actorProject: defaultProject });
    expect(JSON.stringify(own)).not.toContain(key);
    expect((await audit(`?project=${project.id}`)).data).toEqual(own.data);
    const created = (await audit('?action=project.create')).data[0];
    expect(created).toMatchObject({ target: project.id, detail: { name: 'logged' } });
    expect((await t.fetch(`/api/v1/audit?project=${defaultProject}`, { key })).status).toBe(404);
    expect((await audit(`?project=${project.id}`, key)).data).toEqual(own.data);
    const manage = await t.mintKey({ scopes: ['manage'] });
    expect((await t.fetch('/api/v1/audit', { key: manage })).status).toBe(403);
  });
});
