import type { WindowFigures } from '@modelport/contracts';
import { TimedSeries } from './timed-series.js';

/** Per series; see TimedSeries for what a busier window loses. */
const defaultMaxSamples = 100_000;

/** One finished request: `at` in epoch ms. */
export interface Outcome {
  at: number;
  error: boolean;
  latencyMs: number;
}

/**
 * The outcomes of one side of a rollout (the new revision, or the baseline) over a sliding time
 * window, for the guardrails to judge. Callers leave 4xx out: a caller's mistake says nothing about
 * the revision, so every record here is a request that counts.
 */
export class OutcomeWindow {
  private readonly latency: TimedSeries;
  /** 1 for an error, 0 otherwise, pushed beside `latency` so both hold the same requests. */
  private readonly errors: TimedSeries;
  private readonly ttft: TimedSeries;
  private readonly itl: TimedSeries;

  constructor(
    private readonly windowMs: number,
    maxSamples = defaultMaxSamples,
  ) {
    this.latency = new TimedSeries(maxSamples);
    this.errors = new TimedSeries(maxSamples);
    this.ttft = new TimedSeries(maxSamples);
    this.itl = new TimedSeries(maxSamples);
  }

  record(o: Outcome): void {
    this.latency.push(o.at, o.latencyMs);
    this.errors.push(o.at, o.error ? 1 : 0);
  }

  /** Time to the first token of one LLM stream. */
  firstToken(at: number, ttftMs: number): void {
    this.ttft.push(at, ttftMs);
  }

  /** One gap between tokens of a stream (a stream gives many). */
  interToken(at: number, itlMs: number): void {
    this.itl.push(at, itlMs);
  }

  /** Requests and errors over the window, without percentiles: cheap enough to ask at every error. */
  counts(now: number): { requests: number; errors: number } {
    const from = now - this.windowMs;
    this.errors.dropUpTo(from);
    const errors = this.errors.valuesIn(from, now);
    return { requests: errors.length, errors: errors.reduce((sum, e) => sum + e, 0) };
  }

  /** The figures over (now - windowMs, now]; older samples are dropped for good. */
  figures(now: number): WindowFigures {
    const from = now - this.windowMs;
    const all = [this.latency, this.errors, this.ttft, this.itl];
    for (const series of all) series.dropUpTo(from);
    const errors = this.errors.valuesIn(from, now);
    const errorCount = errors.reduce((sum, e) => sum + e, 0);
    const latency = percentiles(this.latency.valuesIn(from, now));
    const ttft = percentiles(this.ttft.valuesIn(from, now));
    const itl = percentiles(this.itl.valuesIn(from, now));
    return {
      requests: errors.length,
      errors: errorCount,
      errorRate: errors.length === 0 ? null : errorCount / errors.length,
      latencyP50: latency.p50,
      latencyP95: latency.p95,
      latencyP99: latency.p99,
      ttftP50: ttft.p50,
      ttftP95: ttft.p95,
      ttftP99: ttft.p99,
      itlP50: itl.p50,
      itlP95: itl.p95,
      itlP99: itl.p99,
    };
  }

  clear(): void {
    for (const series of [this.latency, this.errors, this.ttft, this.itl]) series.clear();
  }
}

interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Nearest rank: always a value that was observed, never an interpolation between two. */
function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: null, p95: null, p99: null };
  // A typed array sorts numerically, and the caller's array stays as it was.
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p * sorted.length) / 100) - 1)] ?? null;
  return { p50: rank(50), p95: rank(95), p99: rank(99) };
}
