import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { type Database, withCachedStatements } from '../../platform/db/index.js';
import type { UsageRow } from './usage-row.js';
import { writeUsageBatch } from './write-usage-batch.js';

/**
 * The SQLite ledger's writer thread: better-sqlite3 is synchronous, so each commit (and its fsync
 * with `flushEachCommit`) happens here and never blocks the API process's event loop.
 */
export interface LedgerWorkerData {
  file: string;
  flushEachCommit: boolean;
}
export interface WriteMessage {
  seq: number;
  /** The rows as JSON text. */
  rows: string;
  nowMs: number;
}
export interface WrittenMessage {
  seq: number;
  error?: string;
}

const { file, flushEachCommit } = workerData as LedgerWorkerData;
const sqlite = new SQLite(file);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma(`synchronous = ${flushEachCommit ? 'FULL' : 'NORMAL'}`);
sqlite.pragma('busy_timeout = 5000');
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withCachedStatements(sqlite) }) });

parentPort?.on('message', (msg: WriteMessage) => {
  writeUsageBatch(db, JSON.parse(msg.rows) as UsageRow[], new Date(msg.nowMs)).then(
    () => parentPort?.postMessage({ seq: msg.seq } satisfies WrittenMessage),
    (err: unknown) => parentPort?.postMessage({ seq: msg.seq, error: String(err) } satisfies WrittenMessage),
  );
});
