import { type Guardrails, guardrailsSchema, type WindowFigures } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { evaluateGuardrails } from '../../src/deploy/rollouts/evaluate-guardrails.js';

const empty: WindowFigures = {
  requests: 0,
  errors: 0,
  errorRate: null,
  latencyP50: null,
  latencyP95: null,
  latencyP99: null,
  ttftP50: null,
  ttftP95: null,
  ttftP99: null,
  itlP50: null,
  itlP95: null,
  itlP99: null,
};

/** A window of `requests` with `errors` of them failed, and any other figures. */
const figures = (requests: number, errors: number, more: Partial<WindowFigures> = {}): WindowFigures => ({
  ...empty,
  requests,
  errors,
  errorRate: requests === 0 ? null : errors / requests,
  ...more,
});

/** The defaults (errors ≤ max(1%, baseline + 1 point), 50 samples, fast fail at 50% over 20). */
const defaults = (): Guardrails => guardrailsSchema.parse({});

const at = '2030-01-01T00:00:00.000Z';

const evaluate = (
  canary: WindowFigures,
  baseline: WindowFigures,
  guardrails: Guardrails = defaults(),
  consecutiveBefore = 0,
) => evaluateGuardrails({ guardrails, canary, baseline, consecutiveBefore, at });

describe('guardrail evaluation', () => {
  it('passes errors at max(1%, baseline + 1 point): 2.9% over a 2% baseline, and resets the streak', () => {
    const e = evaluate(figures(1000, 29), figures(1000, 20), defaults(), 1);
    expect(e.outcome).toBe('pass');
    expect(e.consecutiveBreaches).toBe(0);
    expect(e.rules).toEqual([
      { metric: 'error_rate', value: 0.029, baseline: 0.02, threshold: 0.03, outcome: 'pass' },
    ]);
  });

  it('passes a value exactly at the threshold (3% over a 2% baseline)', () => {
    const e = evaluate(figures(100, 3), figures(100, 2));
    expect(e.rules[0]).toMatchObject({ value: 0.03, outcome: 'pass' });
    expect(e.outcome).toBe('pass');
  });

  it('breaches errors over max(1%, baseline + 1 point): 3.1% over a 2% baseline, counting the streak', () => {
    const e = evaluate(figures(1000, 31), figures(1000, 20), defaults(), 1);
    expect(e.outcome).toBe('breach');
    expect(e.consecutiveBreaches).toBe(2);
    expect(e.rules[0]).toMatchObject({ value: 0.031, threshold: 0.03, outcome: 'breach' });
  });

  it('holds errors to the 1% floor when the baseline has none, and uses it alone without a baseline', () => {
    expect(evaluate(figures(1000, 10), figures(1000, 0)).rules[0]).toMatchObject({
      threshold: 0.01,
      outcome: 'pass',
    });
    expect(evaluate(figures(1000, 11), figures(1000, 0)).rules[0]).toMatchObject({
      threshold: 0.01,
      outcome: 'breach',
    });
    expect(evaluate(figures(1000, 11), empty).rules[0]).toMatchObject({
      baseline: null,
      threshold: 0.01,
      outcome: 'breach',
    });
  });

  it('judges an absolute max alone', () => {
    const g = { ...defaults(), rules: [{ metric: 'latency_p95' as const, max: 200 }] };
    expect(evaluate(figures(100, 0, { latencyP95: 200 }), empty, g).rules[0]).toMatchObject({
      value: 200,
      threshold: 200,
      outcome: 'pass',
    });
    expect(evaluate(figures(100, 0, { latencyP95: 201 }), empty, g).outcome).toBe('breach');
  });

  it('judges an increase over the baseline alone (p99 time to first token)', () => {
    const g = { ...defaults(), rules: [{ metric: 'ttft_p99' as const, maxIncrease: 50 }] };
    const baseline = figures(100, 0, { ttftP99: 300 });
    expect(evaluate(figures(100, 0, { ttftP99: 350 }), baseline, g).rules[0]).toMatchObject({
      metric: 'ttft_p99',
      value: 350,
      baseline: 300,
      threshold: 350,
      outcome: 'pass',
    });
    expect(evaluate(figures(100, 0, { ttftP99: 351 }), baseline, g).outcome).toBe('breach');
  });

  it('judges a ratio to the baseline alone (median inter-token gap)', () => {
    const g = { ...defaults(), rules: [{ metric: 'itl_p50' as const, maxRatio: 1.5 }] };
    const baseline = figures(100, 0, { itlP50: 20 });
    expect(evaluate(figures(100, 0, { itlP50: 30 }), baseline, g).rules[0]).toMatchObject({
      threshold: 30,
      outcome: 'pass',
    });
    expect(evaluate(figures(100, 0, { itlP50: 31 }), baseline, g).rules[0]).toMatchObject({
      value: 31,
      outcome: 'breach',
    });
  });

  it('takes the largest bound when a rule has several', () => {
    const g = {
      ...defaults(),
      rules: [{ metric: 'latency_p50' as const, max: 100, maxIncrease: 30, maxRatio: 1.2 }],
    };
    // 200 × 1.2 = 240 beats 200 + 30 and 100.
    const e = evaluate(figures(100, 0, { latencyP50: 240 }), figures(100, 0, { latencyP50: 200 }), g);
    expect(e.rules[0]).toMatchObject({ threshold: 240, outcome: 'pass' });
  });

  it('breaches when any one rule breaches, and reports every rule', () => {
    const g = {
      ...defaults(),
      rules: [
        { metric: 'error_rate' as const, max: 0.01 },
        { metric: 'latency_p99' as const, max: 500 },
      ],
    };
    const e = evaluate(figures(100, 0, { latencyP99: 900 }), empty, g);
    expect(e.outcome).toBe('breach');
    expect(e.rules.map((r) => r.outcome)).toEqual(['pass', 'breach']);
  });

  it('has no data for a relative rule without baseline figures, nor for a metric never measured', () => {
    const g = {
      ...defaults(),
      rules: [
        { metric: 'latency_p95' as const, maxIncrease: 10, maxRatio: 2 },
        { metric: 'ttft_p95' as const, max: 100 },
      ],
    };
    const e = evaluate(figures(100, 0, { latencyP95: 5000 }), empty, g, 1);
    expect(e.rules).toEqual([
      { metric: 'latency_p95', value: 5000, baseline: null, threshold: null, outcome: 'no_data' },
      { metric: 'ttft_p95', value: null, baseline: null, threshold: 100, outcome: 'no_data' },
    ]);
    // Nothing breached: a pass, which ends the streak.
    expect(e.outcome).toBe('pass');
    expect(e.consecutiveBreaches).toBe(0);
  });

  it('fails fast at 50% errors over 20 requests, before minSamples and whatever the rules say', () => {
    const e = evaluate(figures(20, 10), empty, defaults(), 0);
    expect(e.outcome).toBe('fast_fail');
    expect(e.consecutiveBreaches).toBe(1);
  });

  it('does not fail fast under 20 requests, nor under 50% errors', () => {
    expect(evaluate(figures(19, 19), empty).outcome).toBe('insufficient_samples');
    expect(evaluate(figures(40, 19), empty).outcome).toBe('insufficient_samples');
  });

  it('does not fail fast when fast fail is switched off', () => {
    const g = { ...defaults(), fastFail: null };
    expect(evaluate(figures(20, 20), empty, g).outcome).toBe('insufficient_samples');
    expect(evaluate(figures(100, 100), empty, g).outcome).toBe('breach');
  });

  it('judges nothing below minSamples and keeps the breach streak as it was', () => {
    const e = evaluate(figures(49, 5), figures(1000, 0), defaults(), 1);
    expect(e.outcome).toBe('insufficient_samples');
    expect(e.consecutiveBreaches).toBe(1);
    expect(e.rules).toEqual([
      { metric: 'error_rate', value: 5 / 49, baseline: 0, threshold: 0.01, outcome: 'no_data' },
    ]);
    expect(evaluate(figures(50, 5), figures(1000, 0), defaults(), 1).outcome).toBe('breach');
  });

  it('records the time and both sides’ figures as given', () => {
    const canary = figures(100, 0, { latencyP50: 12 });
    const baseline = figures(300, 3, { latencyP50: 11 });
    const e = evaluate(canary, baseline);
    expect(e).toMatchObject({ at, canary, baseline });
  });
});
