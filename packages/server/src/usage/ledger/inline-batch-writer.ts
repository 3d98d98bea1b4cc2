import type { Database as SqliteConnection } from 'better-sqlite3';
import { openLedgerConnection } from './ledger-connection.js';
import { sqliteUsageBatchWriter } from './sqlite-usage-batch.js';
import type { UsageRow } from './usage-row.js';

/**
 * Writes ledger batches to the SQLite file on this thread, through a connection of its own in
 * `synchronous=NORMAL`: a commit appends to the write-ahead log without waiting for the disk (tens
 * of microseconds), so it costs less here than a round trip to a writer thread, whose wake-ups
 * alone took about 0.5 ms of CPU each on a 2-core VM. A row committed this way survives a crash
 * of the server process; with `flushEachCommit` each commit waits for the disk, which is what the
 * writer thread (`WorkerBatchWriter`) is for.
 */
export class InlineBatchWriter {
  // A wait for a lock blocks this thread: short, and a batch that cannot commit is retried.
  // Nothing else holds the write lock across event-loop turns (the store's transactions run
  // their statements back to back), so it is not expected to wait at all.
  private readonly sqlite: SqliteConnection;
  private readonly writeBatch: (rows: readonly UsageRow[], now: Date) => void;

  constructor(file: string) {
    this.sqlite = openLedgerConnection(file, 'NORMAL', 100);
    this.writeBatch = sqliteUsageBatchWriter(this.sqlite);
  }

  write = async (rows: readonly UsageRow[]): Promise<void> => this.writeBatch(rows, new Date());

  async close(): Promise<void> {
    this.sqlite.close();
  }
}
