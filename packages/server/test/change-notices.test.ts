import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChangeNotice,
  createChangeNotices,
  openDatabase,
  type Store,
} from '../src/platform/db/index.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';
import { until } from './support/processes.js';

const log = pino({ level: 'silent' });
const database = await createPostgresDatabase();
if (!database) console.log('skipped: no PostgreSQL on 127.0.0.1:5432');

describe.runIf(database !== null)('change notices between processes on one PostgreSQL', () => {
  const db = database as TestDatabase;
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    a = await openDatabase({ databaseUrl: db.url, sqlitePath: '' });
    b = await openDatabase({ databaseUrl: db.url, sqlitePath: '' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db.drop();
  });

  it('delivers a notice to the others, never to its sender, and listens again after the connection is cut', async () => {
    const sending = createChangeNotices(a, db.url, log);
    const receiving = createChangeNotices(b, db.url, log);
    const got: ChangeNotice[] = [];
    const own: ChangeNotice[] = [];
    let resyncs = 0;
    receiving.onNotice((n) => got.push(n));
    receiving.onResync(() => resyncs++);
    sending.onNotice((n) => own.push(n));
    await Promise.all([sending.start(), receiving.start()]);
    try {
      await sending.publish({ kind: 'deployment', id: 'd1' });
      expect(await until(() => got.length === 1, 5_000)).toBe(true);
      expect(got).toEqual([{ kind: 'deployment', id: 'd1' }]);
      expect(own).toEqual([]);

      // The database drops the listening connection (a restart, a failover): it comes back and says so.
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where query = 'LISTEN modelport_changes' and datname = current_database()",
      );
      await admin.end();
      expect(await until(() => resyncs === 1, 10_000)).toBe(true);
      await sending.publish({ kind: 'deployment', id: 'd2' });
      expect(await until(() => got.some((n) => n.id === 'd2'), 5_000)).toBe(true);
    } finally {
      await sending.close();
      await receiving.close();
    }
  }, 30_000);
});
