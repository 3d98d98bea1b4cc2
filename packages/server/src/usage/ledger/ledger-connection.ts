import SQLite, { type Database as SqliteConnection } from 'better-sqlite3';

/**
 * The ledger's own SQLite connection (WAL): `FULL` waits for the disk at every commit, `NORMAL`
 * appends to the log only. `busyTimeoutMs` is how long a write waits for a lock, blocking its thread.
 */
export function openLedgerConnection(
  file: string,
  synchronous: 'FULL' | 'NORMAL',
  busyTimeoutMs: number,
): SqliteConnection {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return sqlite;
}
