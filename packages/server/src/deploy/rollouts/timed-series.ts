/**
 * Timestamped numbers, appended in arrival order and dropped from the front: an array with a head
 * index, compacted once the dropped part outweighs the live part, so push and drop are O(1)
 * amortized.
 *
 * Limit: at most `maxSamples` are kept; past that the oldest go first, so a window busier than
 * that is judged on its latest `maxSamples` only (bounded memory matters more than the tail).
 */
export class TimedSeries {
  private at: number[] = [];
  private value: number[] = [];
  private head = 0;

  constructor(private readonly maxSamples: number) {}

  push(at: number, value: number): void {
    this.at.push(at);
    this.value.push(value);
    if (this.at.length - this.head > this.maxSamples) this.head++;
    this.compact();
  }

  /** Drops samples at or before `cutoff` from the front (they arrive roughly in time order). */
  dropUpTo(cutoff: number): void {
    while (this.head < this.at.length && (this.at[this.head] ?? Number.POSITIVE_INFINITY) <= cutoff) {
      this.head++;
    }
    this.compact();
  }

  /**
   * The values with `from < at <= to`. Filters rather than trusts the order: a sample recorded
   * late with an older time must not count in a window it does not belong to.
   */
  valuesIn(from: number, to: number): number[] {
    const out: number[] = [];
    for (let i = this.head; i < this.at.length; i++) {
      const at = this.at[i] ?? Number.NaN;
      if (at > from && at <= to) out.push(this.value[i] ?? 0);
    }
    return out;
  }

  clear(): void {
    this.at = [];
    this.value = [];
    this.head = 0;
  }

  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.at.length) return;
    this.at = this.at.slice(this.head);
    this.value = this.value.slice(this.head);
    this.head = 0;
  }
}
