import type { Metric, Registry } from 'prom-client';

/** One label combination of a counter: `inc` adds to a number the scrape reads. */
export interface CounterSeries {
  inc(by?: number): void;
}

/** One label combination of a histogram: `observe` counts into its bucket. */
export interface HistogramSeries {
  observe(value: number): void;
}

interface MetricOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  registers: Registry[];
}

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
  /** The series' labels, written after `labels` (prom-client's histogram layout). */
  sharedLabels?: Record<string, string>;
}

/** What prom-client's registry reads of a metric (its typings declare `type` as a numeric enum). */
interface Values {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: Sample[];
}

/**
 * Counters and histograms for the request path. prom-client's own build a label object, validate
 * it and hash it on every `inc`/`observe`, even through a child; these hand out series once per
 * label combination (callers keep them), record with plain arithmetic, and render in prom-client's
 * format when the registry is scraped, so `/metrics` reads exactly as before.
 */
abstract class SeriesMetric<L extends string, S> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum' as const;
  readonly collect = undefined;
  private readonly labelNames: readonly L[];
  protected readonly all = new Map<string, { labels: Record<string, string>; series: S }>();

  constructor(options: MetricOptions<L>) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric<L>);
  }

  /** The series of these label values (in `labelNames` order), made on first use. */
  series(...values: string[]): S {
    const key = values.join('\u0000');
    let found = this.all.get(key);
    if (!found) {
      const labels = Object.fromEntries(this.labelNames.map((name, i) => [name, values[i] ?? '']));
      found = { labels, series: this.make() };
      this.all.set(key, found);
    }
    return found.series;
  }

  reset(): void {
    this.all.clear();
  }

  protected abstract make(): S;
}

class CountingSeries implements CounterSeries {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
}

export class SeriesCounter<L extends string> extends SeriesMetric<L, CountingSeries> {
  readonly type = 'counter' as const;

  protected make(): CountingSeries {
    return new CountingSeries();
  }

  async get(): Promise<Values> {
    const values = [...this.all.values()].map(({ labels, series }) => ({ labels, value: series.value }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

class BucketSeries implements HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        this.counts[i] = (this.counts[i] as number) + 1;
        break;
      }
    }
    this.sum += value;
    this.count += 1;
  }
}

export class SeriesHistogram<L extends string> extends SeriesMetric<L, BucketSeries> {
  readonly type = 'histogram' as const;
  private readonly bounds: readonly number[];

  constructor(options: MetricOptions<L> & { buckets: readonly number[] }) {
    super(options);
    this.bounds = [...options.buckets].sort((a, b) => a - b);
  }

  protected make(): BucketSeries {
    return new BucketSeries(this.bounds);
  }

  /** Cumulative buckets, `+Inf`, `_sum`, `_count`: prom-client's histogram layout. */
  async get(): Promise<Values> {
    const values: Sample[] = [];
    for (const { labels, series } of this.all.values()) {
      let total = 0;
      this.bounds.forEach((le, i) => {
        total += series.counts[i] as number;
        values.push({
          labels: { le },
          value: total,
          metricName: `${this.name}_bucket`,
          sharedLabels: labels,
        });
      });
      const shared = { sharedLabels: labels };
      values.push({
        labels: { le: '+Inf' },
        value: series.count,
        metricName: `${this.name}_bucket`,
        ...shared,
      });
      values.push({ labels: {}, value: series.sum, metricName: `${this.name}_sum`, ...shared });
      values.push({ labels: {}, value: series.count, metricName: `${this.name}_count`, ...shared });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
