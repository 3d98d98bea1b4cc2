import { Worker } from 'node:worker_threads';
import { compiledPath } from '../../platform/index.js';
import type { LedgerWorkerData, WriteMessage, WrittenMessage } from './sqlite-ledger-worker.js';
import type { UsageRow } from './usage-row.js';

/** The compiled worker thread's script. */
function workerPath(): string {
  return compiledPath(import.meta.url, './sqlite-ledger-worker.js');
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
      // JSON text crosses to the thread several times faster than cloning row objects.
      worker.postMessage({ seq, rows: JSON.stringify(rows), nowMs: Date.now() } satisfies WriteMessage);
    });
  };

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private spawn(): Worker {
    const workerData: LedgerWorkerData = { file: this.file };
    const worker = new Worker(workerPath(), { workerData });
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
