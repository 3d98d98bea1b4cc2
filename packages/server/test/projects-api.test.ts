import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/app/start-server.js';
import { generateKey, hashKey, parseKey } from '../src/auth/index.js';
import { loadConfig } from '../src/config/index.js';
import { migrationProvider } from '../src/platform/db/migrations/index.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';
import { createProject, projectKey } from './support/tenants.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

const pgDb = await createPostgresDatabase();
const pgUpgradeDb = pgDb ? await createPostgresDatabase() : null;
if (!pgDb) console.log('skipped: projects API on PostgreSQL (no PostgreSQL on 127.0.0.1:5432)');
afterAll(async () => {
  await pgDb?.drop();
  await pgUpgradeDb?.drop();
});

describe.each([
  { store: 'sqlite', databaseUrl: undefined, skip: false },
  { store: 'postgres', databaseUrl: pgDb?.url, skip: pgDb === null },
])('projects API on $store', ({ databaseUrl, skip }) => {
  let t: TestServer;
  beforeAll(async () => {
    if (!skip) t = await startTestServer(databaseUrl ? { databaseUrl } : {});
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)('the organization admin creates, lists and shows projects', async () => {
    const created = await createProject(t, 'research');
    expect(created).toMatchObject({ id: expect.stringMatching(/^prj_/), name: 'research' });
    const dup = await t.fetch('/api/v1/projects', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'research' }),
    });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { error: { code: string } }).error.code).toBe('project_already_exists');
    const bad = await t.fetch('/api/v1/projects', {
      method: 'POST',
      headers: json,
      body: '{"name":"Bad Name"}',
    });
    expect(bad.status).toBe(400);

    const list = (await (await t.fetch('/api/v1/projects')).json()) as {
      data: { id: string; name: string }[];
    };
    expect(list.data.map((p) => p.name)).toEqual(['default', 'research']);
    expect(list.data.every((p) => p.id.startsWith('prj_'))).toBe(true);
    const one = await (await t.fetch(`/api/v1/projects/${created.id}`)).json();
    expect(one).toEqual(created);
  });

  it.skipIf(skip)('a key minted into a project works there and only there', async () => {
    const project = await createProject(t, 'apps');
    const res = await t.fetch(`/api/v1/projects/${project.id}/keys`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'apps admin', scopes: ['admin'] }),
    });
    expect(res.status).toBe(201);
    const minted = (await res.json()) as { key: string; project: string };
    expect(minted.project).toBe(project.id);
    expect(parseKey(minted.key)).not.toBeNull();
    const create = await t.fetch('/api/v1/models', {
      method: 'POST',
      key: minted.key,
      headers: json,
      body: JSON.stringify({ name: 'apps-model' }),
    });
    expect(create.status).toBe(201);
    expect(((await create.json()) as { project: string }).project).toBe(project.id);
    const defaultModels = await (await t.fetch('/api/v1/models')).text();
    expect(defaultModels).not.toContain('apps-model');
    const keys = await (await t.fetch('/api/v1/keys', { key: minted.key })).text();
    expect(keys).toContain('apps admin');
    expect(keys).not.toContain(t.adminKey.slice(0, 16));
  });

  it.skipIf(skip)('a project admin sees its own project but cannot create or list projects', async () => {
    const project = await createProject(t, 'team');
    const { key } = await projectKey(t, project.id, ['admin']);
    expect((await t.fetch(`/api/v1/projects/${project.id}`, { key })).status).toBe(200);
    expect((await t.fetch('/api/v1/projects', { key })).status).toBe(403);
    const create = await t.fetch('/api/v1/projects', {
      method: 'POST',
      key,
      headers: json,
      body: '{"name":"x"}',
    });
    expect(create.status).toBe(403);
    const mint = await t.fetch('/api/v1/keys', {
      method: 'POST',
      key,
      headers: json,
      body: JSON.stringify({ scopes: ['org_admin'] }),
    });
    expect(mint.status).toBe(403);
    const { key: manage } = await projectKey(t, project.id, ['manage']);
    expect((await t.fetch(`/api/v1/projects/${project.id}`, { key: manage })).status).toBe(403);
  });

  it.skipIf(skip)('an unknown project is project_not_found', async () => {
    expect((await t.fetch('/api/v1/projects/prj_unknown')).status).toBe(404);
    const res = await t.fetch('/api/v1/projects/prj_unknown/keys', {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('project_not_found');
  });

  it.skipIf(skip)(
    'keeps server-wide metrics to the organization: a project admin neither reads nor grants them',
    async () => {
      const project = await createProject(t, 'metrics-probe');
      const { key: projectAdmin } = await projectKey(t, project.id, ['admin']);
      const read = await t.fetch('/metrics', { key: projectAdmin });
      expect(read.status).toBe(403);
      const grant = await t.fetch('/api/v1/keys', {
        method: 'POST',
        key: projectAdmin,
        headers: json,
        body: JSON.stringify({ scopes: ['metrics'] }),
      });
      expect(grant.status).toBe(403);
      expect(((await grant.json()) as { error: { message: string } }).error.message).toMatch(/`metrics`/);
      const { key: scraper } = await projectKey(t, project.id, ['metrics']);
      expect((await t.fetch('/metrics', { key: scraper })).status).toBe(200);
    },
  );
});

interface OldKeysTable {
  id: string;
  project_id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string;
  models: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  limits: string | null;
}

interface OldDatabase {
  organizations: { id: string; name: string; created_at: string };
  projects: { id: string; organization_id: string; name: string; created_at: string };
  api_keys: OldKeysTable;
}

/** A store as the release before projects left it: its first-start admin key, and a later admin key. */
async function seedOldStore(db: Kysely<OldDatabase>): Promise<{ first: string; later: string }> {
  const migrated = await new Migrator({ db, provider: migrationProvider }).migrateTo('0003-key-limits');
  if (migrated.error) throw migrated.error;
  await db
    .insertInto('organizations')
    .values({ id: 'org_old', name: 'default', created_at: '2024-01-01T00:00:00.000Z' })
    .execute();
  await db
    .insertInto('projects')
    .values({
      id: 'prj_old',
      organization_id: 'org_old',
      name: 'default',
      created_at: '2024-01-01T00:00:00.000Z',
    })
    .execute();
  const keys = { first: generateKey(), later: generateKey() };
  for (const [i, key] of [keys.first, keys.later].entries()) {
    const parsed = parseKey(key);
    if (!parsed) throw new Error('bad key');
    await db
      .insertInto('api_keys')
      .values({
        id: `key_${parsed.lookupId}`,
        project_id: 'prj_old',
        name: i === 0 ? 'admin' : 'second admin',
        prefix: parsed.prefix,
        hash: hashKey(key),
        scopes: '["admin"]',
        models: null,
        created_at: `2024-01-0${i + 1}T00:00:00.000Z`,
        expires_at: null,
        revoked_at: null,
        last_used_at: null,
        limits: null,
      })
      .execute();
  }
  await db.destroy();
  return keys;
}

describe.each([
  { store: 'sqlite', databaseUrl: undefined, skip: false },
  { store: 'postgres', databaseUrl: (pgUpgradeDb as TestDatabase | null)?.url, skip: pgUpgradeDb === null },
])('upgrading a store from before projects, on $store', ({ databaseUrl, skip }) => {
  it.skipIf(skip)('gives the first-start admin key org_admin, and no other key', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-upgrade-'));
    const db = new Kysely<OldDatabase>({
      dialect: databaseUrl
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl }) })
        : new SqliteDialect({ database: new SQLite(path.join(dir, 'modelport.db')) }),
    });
    const keys = await seedOldStore(db);
    const env = {
      MODELPORT_PORT: '0',
      MODELPORT_DATA_DIR: dir,
      MODELPORT_LOG_LEVEL: 'silent',
      MODELPORT_DEMO: 'false',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    const server = await startServer(loadConfig({ env, cwd: dir }));
    try {
      expect(server.bootstrap).toMatchObject({ createdAdminKey: null, projectId: 'prj_old' });
      const as = (key: string) =>
        fetch(`${server.url}/api/v1/projects`, { headers: { authorization: `Bearer ${key}` } });
      expect((await as(keys.first)).status).toBe(200);
      expect((await as(keys.later)).status).toBe(403);
      const later = await fetch(`${server.url}/api/v1/keys`, {
        headers: { authorization: `Bearer ${keys.later}` },
      });
      expect(later.status).toBe(200);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('bootstrap of the admin key', () => {
  it('makes the configured key an org admin, and leaves its rotation standing after a restart', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-boot-org-'));
    const adminKey = generateKey();
    const env = {
      MODELPORT_PORT: '0',
      MODELPORT_DATA_DIR: dir,
      MODELPORT_ADMIN_KEY: adminKey,
      MODELPORT_LOG_LEVEL: 'silent',
      MODELPORT_DEMO: 'false',
    };
    const auth = { authorization: `Bearer ${adminKey}` };
    const first = await startServer(loadConfig({ env, cwd: dir }));
    expect((await fetch(`${first.url}/api/v1/projects`, { headers: auth })).status).toBe(200);
    const id = `key_${parseKey(adminKey)?.lookupId}`;
    const rotated = await fetch(`${first.url}/api/v1/keys/${id}/rotate`, {
      method: 'POST',
      headers: { ...auth, ...json },
      body: JSON.stringify({ gracePeriodSeconds: 0 }),
    });
    expect(rotated.status).toBe(200);
    const { key } = (await rotated.json()) as { key: string };
    await first.close();

    const second = await startServer(loadConfig({ env, cwd: dir }));
    const old = await fetch(`${second.url}/api/v1/keys`, { headers: auth });
    expect(((await old.json()) as { error: { code: string } }).error.code).toBe('api_key_rotated');
    const fresh = await fetch(`${second.url}/api/v1/projects`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(fresh.status).toBe(200);
    await second.close();
    await rm(dir, { recursive: true, force: true });
  });
});
