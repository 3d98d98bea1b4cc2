import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { type Database, withCachedStatements } from '../../platform/db/index.js';

/**
 * The ledger's own SQLite connection (WAL): `FULL` waits for the disk at every commit, `NORMAL`
 * appends to the log only. `busyTimeoutMs` is how long a write waits for a lock, blocking its thread.
 */
export function openLedgerConnection(
  file: string,
  synchronous: 'FULL' | 'NORMAL',
  busyTimeoutMs: number,
): Kysely<Database> {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withCachedStatements(sqlite) }) });
}
