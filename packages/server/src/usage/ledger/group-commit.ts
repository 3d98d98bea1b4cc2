export type BatchWriter<T> = (batch: readonly T[]) => Promise<void>;

export interface GroupCommitOptions {
  /** Largest batch handed to the writer at once. */
  maxBatch?: number;
  /** Wait before retrying a failed batch, doubling up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  onRetry?: (err: unknown, attempt: number) => void;
}

interface Pending<T> {
  item: T;
  resolve: () => void;
}

/**
 * Group commit: items added in the same turn of the event loop, or while a batch is being written,
 * go together into one batch, so a busy server pays one commit (one fsync, one wake of the writer
 * thread) for many items and an idle one still commits each item within the turn it came in. A failed batch is retried until it commits: its callers wait, nothing is dropped; callers
 * that must not add work meanwhile watch `backlog`.
 */
export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private writing = false;
  private scheduled = false;
  private inFlight = 0;
  private closed = false;
  private idle: (() => void)[] = [];
  private readonly maxBatch: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  committedItems = 0;
  committedBatches = 0;

  constructor(
    private readonly write: BatchWriter<T>,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.retryDelayMs = options.retryDelayMs ?? 50;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 2_000;
  }

  /** Items added and not yet committed. */
  get backlog(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves once the item is committed. */
  add(item: T): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the ledger is closed'));
    return new Promise<void>((resolve) => {
      this.queue.push({ item, resolve });
      if (!this.writing && !this.scheduled) {
        // The answers of one runner batch arrive in one turn: they share a commit.
        this.scheduled = true;
        setImmediate(this.startDrain);
      }
    });
  }

  /** Commits what is queued; later `add` calls are refused. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.writing && !this.scheduled && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private readonly startDrain = (): void => {
    this.scheduled = false;
    if (!this.writing) void this.drain();
  };

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight = batch.length;
      await this.commit(batch.map((p) => p.item));
      this.inFlight = 0;
      this.committedItems += batch.length;
      this.committedBatches += 1;
      for (const p of batch) p.resolve();
    }
    this.writing = false;
    for (const wake of this.idle.splice(0)) wake();
  }

  private async commit(items: readonly T[]): Promise<void> {
    let delay = this.retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.write(items);
        return;
      } catch (err) {
        this.options.onRetry?.(err, attempt);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, this.maxRetryDelayMs);
      }
    }
  }
}
