import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { openLedgerConnection } from './ledger-connection.js';
import type { UsageRow } from './usage-row.js';
import { writeUsageBatch } from './write-usage-batch.js';

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
  private readonly db: Kysely<Database>;

  constructor(file: string) {
    this.db = openLedgerConnection(file, 'NORMAL', 100);
  }

  write = (rows: readonly UsageRow[]): Promise<void> => writeUsageBatch(this.db, rows, new Date());

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
