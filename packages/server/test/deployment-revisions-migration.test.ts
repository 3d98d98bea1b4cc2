import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDeploymentRepo } from '../src/deploy/repo.js';
import { type Database, type DeploymentsTable, openDatabase } from '../src/platform/db/index.js';
import { migrationProvider } from '../src/platform/db/migrations/index.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';

const pgDb = await createPostgresDatabase();
afterAll(async () => {
  await pgDb?.drop();
});

const sqlitePath = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'mp-revisions-')), 'db.sqlite');

const backends = [
  {
    name: 'sqlite',
    skip: false,
    target: () => {
      const file = sqlitePath();
      return { raw: () => new SqliteDialect({ database: new SQLite(file) }), options: { sqlitePath: file } };
    },
  },
  {
    name: 'postgres',
    skip: pgDb === null,
    target: () => {
      const url = (pgDb as TestDatabase).url;
      return {
        raw: () => new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
        options: { databaseUrl: url, sqlitePath: '' },
      };
    },
  },
];

const at = '2026-01-01T00:00:00.000Z';

/** The tables as they were before revisions. */
type StoreBeforeRevisions = Omit<Database, 'deployments' | 'deployment_revisions'> & {
  deployments: Omit<DeploymentsTable, 'revision'>;
};

describe.each(backends)('the revisions migration on $name', ({ skip, target }) => {
  it.skipIf(skip)(
    'makes a deployment stored before variants revision 1 with one variant `default`',
    async () => {
      const { raw, options } = target();
      // The store as the release before variants left it, with one deployment of version 2 on 3 instances.
      const old = new Kysely<StoreBeforeRevisions>({ dialect: raw() });
      const migrated = await new Migrator({ db: old, provider: migrationProvider }).migrateTo(
        '0005-tenancy-audit',
      );
      expect(migrated.error).toBeUndefined();
      await old.insertInto('organizations').values({ id: 'org_1', name: 'o', created_at: at }).execute();
      await old
        .insertInto('projects')
        .values({ id: 'prj_1', organization_id: 'org_1', name: 'p', created_at: at })
        .execute();
      await old
        .insertInto('models')
        .values({
          id: 'mdl_1',
          project_id: 'prj_1',
          name: 'adder',
          task: 'tensor',
          description: '',
          next_version: 3,
          created_at: at,
        })
        .execute();
      await old
        .insertInto('deployments')
        .values({
          id: 'dep_1',
          project_id: 'prj_1',
          name: 'adder',
          model_id: 'mdl_1',
          version: 2,
          spec: JSON.stringify({ instances: 3, timeoutMs: 1000 }),
          created_at: at,
          updated_at: at,
        })
        .execute();
      await old.destroy();

      const store = await openDatabase(options);
      try {
        const row = await createDeploymentRepo(store.db).find('prj_1', 'adder');
        expect(row?.revision).toBe(1);
        expect(JSON.parse(row?.variants ?? '')).toEqual([
          { name: 'default', version: 2, instances: 3, weight: 100, role: 'production' },
        ]);
        expect(row?.salt).toBe('dep_1');
        const revisions = await createDeploymentRepo(store.db).revisions('dep_1');
        expect(revisions.map((r) => [r.revision, r.created_at])).toEqual([[1, at]]);
      } finally {
        await store.close();
      }
    },
  );
});
