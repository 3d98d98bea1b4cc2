import { parentPort, workerData } from 'node:worker_threads';
import { openLedgerConnection } from './ledger-connection.js';
import { sqliteUsageBatchWriter } from './sqlite-usage-batch.js';
import type { UsageRow } from './usage-row.js';

/**
 * The SQLite ledger's writer thread with `flushEachCommit`: better-sqlite3 is synchronous, so each
 * commit and its fsync happen here and never block the API process's event loop.
 */
export interface LedgerWorkerData {
  file: string;
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

const { file } = workerData as LedgerWorkerData;
const writeBatch = sqliteUsageBatchWriter(openLedgerConnection(file, 'FULL', 5000));

parentPort?.on('message', (msg: WriteMessage) => {
  try {
    writeBatch(JSON.parse(msg.rows) as UsageRow[], new Date(msg.nowMs));
    parentPort?.postMessage({ seq: msg.seq } satisfies WrittenMessage);
  } catch (err) {
    parentPort?.postMessage({ seq: msg.seq, error: String(err) } satisfies WrittenMessage);
  }
});
