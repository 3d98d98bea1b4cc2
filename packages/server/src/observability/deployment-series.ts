import type { DeploymentSeriesPoint } from '@modelport/contracts';
import type { Registry } from 'prom-client';
import { type Buckets, histogramQuantile } from './histogram-quantile.js';

/** One sample every 5 s, 120 kept: the last 10 minutes of each deployment. */
export const SERIES_INTERVAL_MS = 5_000;
export const SERIES_POINTS = 120;
/** Deployments followed at once; the one idle longest is dropped past it. */
export const SERIES_MAX_DEPLOYMENTS = 256;

/** The metrics read, all labelled `model` = the deployment's name (see inference-metrics.ts, llm-metrics.ts). */
const SUCCESS = 'modelport_inference_request_success_total';
const FAILURE = 'modelport_inference_request_failure_total';
const QUEUE = 'modelport_inference_queue_duration_seconds';
const COMPUTE = 'modelport_inference_compute_duration_seconds';
const BATCH = 'modelport_inference_batch_size';
const TTFT = 'modelport_llm_time_to_first_token_seconds';
const TOKENS = 'modelport_llm_completion_tokens_total';

interface Histo {
  sum: number;
  count: number;
  /** Cumulative count per upper bound. */
  buckets: Map<number, number>;
}

/** Cumulative totals of one deployment at one instant. */
interface Totals {
  success: number;
  failure: number;
  queue: Histo;
  compute: Histo;
  batch: Histo;
  ttft: Histo;
  tokens: number;
}

interface Followed {
  last: Totals;
  points: DeploymentSeriesPoint[];
  lastActiveAt: number;
}

const emptyHisto = (): Histo => ({ sum: 0, count: 0, buckets: new Map() });
const emptyTotals = (): Totals => ({
  success: 0,
  failure: 0,
  queue: emptyHisto(),
  compute: emptyHisto(),
  batch: emptyHisto(),
  ttft: emptyHisto(),
  tokens: 0,
});

interface MetricValue {
  value: number;
  labels: Record<string, string | number | undefined>;
  metricName?: string;
  /** The series' own labels where a histogram keeps them apart from `le` (series-metrics.ts). */
  sharedLabels?: Record<string, string>;
}

/**
 * A time series per deployment, sampled from the Prometheus metrics the server keeps anyway:
 * every interval, the growth of each counter and histogram since the last sample becomes a point
 * (rates, means, and percentiles estimated from the histogram buckets). Memory is bounded:
 * `SERIES_POINTS` points for at most `SERIES_MAX_DEPLOYMENTS` deployments.
 */
export class DeploymentSeriesSampler {
  private readonly followed = new Map<string, Followed>();
  private timer: NodeJS.Timeout | null = null;
  private lastSampleAt = Date.now();

  constructor(
    private readonly registry: Registry,
    private readonly intervalMs = SERIES_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.lastSampleAt = Date.now();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The deployment's points, oldest first (empty before its first request). */
  of(deployment: string): DeploymentSeriesPoint[] {
    return [...(this.followed.get(deployment)?.points ?? [])];
  }

  /** Takes one sample now (the timer's job; tests call it directly). */
  async sample(now = Date.now()): Promise<void> {
    const totals = await this.read();
    const seconds = Math.max(0.001, (now - this.lastSampleAt) / 1000);
    this.lastSampleAt = now;
    for (const [name, current] of totals) {
      let f = this.followed.get(name);
      if (!f) {
        // First seen: what it served before counts in this interval.
        f = { last: emptyTotals(), points: [], lastActiveAt: now };
        this.followed.set(name, f);
      }
      const point = pointOf(f.last, current, seconds, now);
      if (point.requestsPerSecond > 0 || point.errorsPerSecond > 0 || point.tokensPerSecond > 0)
        f.lastActiveAt = now;
      f.points.push(point);
      if (f.points.length > SERIES_POINTS) f.points.shift();
      f.last = current;
    }
    while (this.followed.size > SERIES_MAX_DEPLOYMENTS) {
      let idlest: string | null = null;
      let idleSince = Number.POSITIVE_INFINITY;
      for (const [name, f] of this.followed)
        if (f.lastActiveAt < idleSince) [idlest, idleSince] = [name, f.lastActiveAt];
      if (idlest === null) break;
      this.followed.delete(idlest);
    }
  }

  private async read(): Promise<Map<string, Totals>> {
    const totals = new Map<string, Totals>();
    const of = (name: string | number | undefined): Totals | null => {
      if (typeof name !== 'string') return null;
      let t = totals.get(name);
      if (!t) {
        t = emptyTotals();
        totals.set(name, t);
      }
      return t;
    };
    for (const v of await this.values(SUCCESS)) {
      const t = of(v.labels.model);
      if (t) t.success += v.value;
    }
    for (const v of await this.values(FAILURE)) {
      const t = of(v.labels.model);
      if (t) t.failure += v.value;
    }
    for (const v of await this.values(TOKENS)) {
      const t = of(v.labels.model);
      if (t) t.tokens += v.value;
    }
    const histograms: [string, 'queue' | 'compute' | 'batch' | 'ttft'][] = [
      [QUEUE, 'queue'],
      [COMPUTE, 'compute'],
      [BATCH, 'batch'],
      [TTFT, 'ttft'],
    ];
    for (const [metric, field] of histograms) {
      for (const v of await this.values(metric)) {
        const t = of(v.sharedLabels?.model ?? v.labels.model);
        if (!t) continue;
        const h = t[field];
        if (v.metricName?.endsWith('_sum')) h.sum += v.value;
        else if (v.metricName?.endsWith('_count')) h.count += v.value;
        else if (v.metricName?.endsWith('_bucket')) {
          const le = v.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(v.labels.le);
          h.buckets.set(le, (h.buckets.get(le) ?? 0) + v.value);
        }
      }
    }
    return totals;
  }

  private async values(name: string): Promise<MetricValue[]> {
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return [];
    return (await metric.get()).values as MetricValue[];
  }
}

function grown(before: Histo, after: Histo): { sum: number; count: number; buckets: Buckets } {
  const le = [...after.buckets.keys()].sort((a, b) => a - b);
  return {
    sum: after.sum - before.sum,
    count: after.count - before.count,
    buckets: { le, counts: le.map((b) => (after.buckets.get(b) ?? 0) - (before.buckets.get(b) ?? 0)) },
  };
}

const ms = (seconds: number | null) => (seconds === null ? null : seconds * 1000);

function pointOf(before: Totals, after: Totals, seconds: number, now: number): DeploymentSeriesPoint {
  const queue = grown(before.queue, after.queue);
  const compute = grown(before.compute, after.compute);
  const batch = grown(before.batch, after.batch);
  const ttft = grown(before.ttft, after.ttft);
  return {
    t: now,
    requestsPerSecond: (after.success - before.success) / seconds,
    errorsPerSecond: (after.failure - before.failure) / seconds,
    queueMsMean: queue.count > 0 ? (queue.sum / queue.count) * 1000 : null,
    queueMsP95: ms(histogramQuantile(0.95, queue.buckets)),
    computeMsP50: ms(histogramQuantile(0.5, compute.buckets)),
    computeMsP95: ms(histogramQuantile(0.95, compute.buckets)),
    batchSizeMean: batch.count > 0 ? batch.sum / batch.count : null,
    ttftMsP50: ms(histogramQuantile(0.5, ttft.buckets)),
    ttftMsP95: ms(histogramQuantile(0.95, ttft.buckets)),
    tokensPerSecond: (after.tokens - before.tokens) / seconds,
  };
}
