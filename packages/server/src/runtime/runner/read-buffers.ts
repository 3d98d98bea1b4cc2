/**
 * Buffers of shared-memory reads, kept for the next request of the same size. A fresh buffer of a
 * few hundred KB costs a page fault per 4 KB on first touch; on a 2-core VM that was about 1 ms of
 * runner CPU per SqueezeNet request (300 KB input), more than every other step of the runner.
 * Sizes repeat (a deployment's inputs have one shape), so buckets are by exact length.
 */
export class ReadBuffers {
  private readonly free = new Map<number, Buffer[]>();
  private keptBytes = 0;

  /** `maxKeptBytes` bounds the memory held between requests. */
  constructor(private readonly maxKeptBytes: number) {}

  take(length: number): Buffer {
    const kept = this.free.get(length)?.pop();
    if (!kept) return Buffer.allocUnsafeSlow(length);
    this.keptBytes -= length;
    return kept;
  }

  /** The caller is done with `buffer` (nothing reads it any more). */
  give(buffer: Buffer): void {
    if (this.keptBytes + buffer.length > this.maxKeptBytes) return;
    const list = this.free.get(buffer.length);
    if (list) list.push(buffer);
    else this.free.set(buffer.length, [buffer]);
    this.keptBytes += buffer.length;
  }
}
