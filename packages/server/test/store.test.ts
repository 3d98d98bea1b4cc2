import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Store } from '../src/platform/db/index.js';
import { isUniqueViolation } from '../src/platform/db/unique-violation.js';
import { createRegistryRepo } from '../src/registry/repo.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';

const openSqliteStore = () =>
  openDatabase({ sqlitePath: path.join(mkdtempSync(path.join(os.tmpdir(), 'mp-store-')), 'db.sqlite') });

const pgDb = await createPostgresDatabase();
if (!pgDb) console.log('skipped: no PostgreSQL on 127.0.0.1:5432');

const backends: { name: string; open: () => Promise<Store>; skip: boolean }[] = [
  {
    name: 'sqlite',
    skip: false,
    open: () =>
      openDatabase({ sqlitePath: path.join(mkdtempSync(path.join(os.tmpdir(), 'mp-store-')), 'db.sqlite') }),
  },
  {
    name: 'postgres',
    skip: pgDb === null,
    open: () => openDatabase({ databaseUrl: (pgDb as TestDatabase).url, sqlitePath: '' }),
  },
];

afterAll(async () => {
  await pgDb?.drop();
});

describe.each(backends)('store on $name', ({ name, open, skip }) => {
  let store: Store;
  beforeAll(async () => {
    if (!skip) store = await open();
  });
  afterAll(async () => {
    if (!skip) await store.close();
  });

  it.skipIf(skip)('runs the migrations, and running them again changes nothing', async () => {
    const tables = await store.db.introspection.getTables();
    const names = tables.map((t) => t.name);
    for (const t of [
      'organizations',
      'projects',
      'api_keys',
      'models',
      'model_versions',
      'aliases',
      'artifacts',
    ]) {
      expect(names).toContain(t);
    }
    const again = await open();
    expect((await again.db.introspection.getTables()).length).toBe(tables.length);
    await again.close();
  });

  it.skipIf(skip)('gives concurrent version inserts distinct numbers', async () => {
    const now = new Date().toISOString();
    await store.db
      .insertInto('organizations')
      .values({ id: `org_${name}`, name: 'o', created_at: now })
      .execute();
    await store.db
      .insertInto('projects')
      .values({ id: `prj_${name}`, organization_id: `org_${name}`, name: 'p', created_at: now })
      .execute();
    const repo = createRegistryRepo(store.db);
    const model = {
      id: `mdl_${name}`,
      project_id: `prj_${name}`,
      name: 'm',
      task: 'tensor',
      description: '',
      next_version: 1,
      created_at: now,
    };
    await repo.insertModel(model);
    const sha = 'a'.repeat(64);
    const artifact = {
      sha256: sha,
      format: 'onnx',
      size_bytes: 5_000_000_000,
      uri: 'local:x',
      created_at: now,
    };
    const rows = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        repo.insertVersion(artifact, {
          id: `ver_${name}_${i}`,
          model_id: model.id,
          sha256: sha,
          format: 'onnx',
          size_bytes: 5_000_000_000,
          metadata: '{}',
          config: '{}',
          created_at: now,
        }),
      ),
    );
    expect(rows.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    const stored = await repo.getArtifact(sha);
    expect(stored?.size_bytes).toBe(5_000_000_000);
    let dup: unknown;
    await repo.insertModel(model).catch((err: unknown) => {
      dup = err;
    });
    expect(isUniqueViolation(dup)).toBe(true);
  });
});

describe('SQLite durability', () => {
  it('uses WAL and synchronous=FULL', async () => {
    const store = await openSqliteStore();
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    expect(sync.rows[0]?.synchronous).toBe(2);
    await store.close();
  });
});
