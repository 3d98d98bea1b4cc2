import path from 'node:path';
import type { Store } from '../../platform/db/index.js';
import type { Logger } from '../../platform/index.js';
import { GroupCommit } from './group-commit.js';
import { InlineBatchWriter } from './inline-batch-writer.js';
import type { UsageRow } from './usage-row.js';
import { WorkerBatchWriter } from './worker-batch-writer.js';
import { writeUsageBatch } from './write-usage-batch.js';

export interface UsageLedger {
  /** Resolves once the row is committed (in SQLite's log, flushed too with `flushEachCommit`; or PostgreSQL). */
  record(row: UsageRow): Promise<void>;
  /** Rows waiting for their commit; past `maxBacklog` new model requests are refused. */
  readonly backlog: number;
  readonly maxBacklog: number;
  stats(): { rows: number; batches: number };
  close(): Promise<void>;
}

export interface LedgerOptions {
  maxBacklog: number;
  /**
   * SQLite: fsync every commit (`synchronous=FULL`), so committed rows survive power loss. Without
   * it a commit is written to the log (`synchronous=NORMAL` in WAL mode): it survives a crash of
   * the server process, and power loss may take the last commits before the next checkpoint.
   */
  flushEachCommit: boolean;
  log: Logger;
}

/**
 * Group commit over the store. SQLite batches go through a connection of the ledger's own: on this
 * thread when a commit needs no fsync (a log append), on a writer thread when each commit waits
 * for the disk (`flushEachCommit`), so that wait never blocks the event loop. PostgreSQL batches
 * go through the pool.
 */
export function createUsageLedger(store: Store, dataDir: string, options: LedgerOptions): UsageLedger {
  const file = path.join(dataDir, 'modelport.db');
  const writer =
    store.dialect !== 'sqlite'
      ? undefined
      : options.flushEachCommit
        ? new WorkerBatchWriter(file)
        : new InlineBatchWriter(file);
  const write = writer
    ? writer.write
    : (rows: readonly UsageRow[]) => writeUsageBatch(store.db, rows, new Date());
  const commits = new GroupCommit<UsageRow>(write, {
    onRetry: (err, attempt) =>
      options.log[attempt === 1 ? 'warn' : 'error']({ err, attempt }, 'usage ledger commit failed; retrying'),
  });
  return {
    record: (row) => commits.add(row),
    get backlog() {
      return commits.backlog;
    },
    maxBacklog: options.maxBacklog,
    stats: () => ({ rows: commits.committedItems, batches: commits.committedBatches }),
    async close() {
      await commits.close();
      await writer?.close();
    },
  };
}
