import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LedgerWorkerData, WriteMessage, WrittenMessage } from './sqlite-ledger-worker.js';
import type { UsageRow } from './usage-row.js';

/** The compiled worker: it always runs from `dist/`, also when the server runs from sources in tests. */
function workerPath(): string {
  return fileURLToPath(new URL('./sqlite-ledger-worker.js', import.meta.url)).replace(
    /([/\\])src([/\\])usage([/\\])ledger([/\\])sqlite-ledger-worker\.js$/,
    '$1dist$2usage$3ledger$4sqlite-ledger-worker.js',
  );
}

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * Writes ledger batches to a SQLite file from a worker thread with its own connection. A worker
 * that dies fails its pending batches (the group commit retries them) and is replaced on next use.
 */
export class WorkerBatchWriter {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly waiting = new Map<number, Waiter>();

  /** Starts the thread at once, so the first request does not wait for it to load. */
  constructor(private readonly file: string) {
    this.spawn();
  }

  write = (rows: readonly UsageRow[]): Promise<void> => {
    const worker = this.worker ?? this.spawn();
    const seq = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      worker.postMessage({ seq, rows: [...rows], nowMs: Date.now() } satisfies WriteMessage);
    });
  };

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(workerPath(), { workerData: { file: this.file } satisfies LedgerWorkerData });
    worker.on('message', (msg: WrittenMessage) => {
      const w = this.waiting.get(msg.seq);
      this.waiting.delete(msg.seq);
      if (msg.error === undefined) w?.resolve();
      else w?.reject(new Error(msg.error));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`ledger writer exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
