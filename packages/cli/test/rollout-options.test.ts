import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli-errors.js';
import { parseRule } from '../src/parse-rule-option.js';
import { parseVariant } from '../src/parse-variant-option.js';
import { startRolloutRequestFrom } from '../src/rollout-request.js';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidArgumentError || err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('--variant', () => {
  it('reads name, version (number or alias), weight and the optional keys, sending only those given', () => {
    expect(parseVariant('name=A,version=1,weight=90,instances=2')).toEqual({
      variantName: 'A',
      modelVersion: 1,
      weight: 90,
      instances: 2,
    });
    expect(parseVariant('name=Canary, version=production, weight=0')).toEqual({
      variantName: 'Canary',
      modelVersion: 'production',
      weight: 0,
    });
    expect(parseVariant('name=S,version=2,weight=0,role=shadow,sampling=12.5')).toEqual({
      variantName: 'S',
      modelVersion: 2,
      weight: 0,
      role: 'shadow',
      samplingPercent: 12.5,
    });
  });

  it('refuses bad input with a message naming the key', () => {
    expect(refusal(() => parseVariant('name=A,version=1'))).toMatch(/^weight missing: name=<variant>,/);
    expect(refusal(() => parseVariant('A'))).toBe("'A' is not key=value.");
    expect(refusal(() => parseVariant('name=A,version=1,weight=1,colour=red'))).toBe(
      "unknown key 'colour' (known: name, version, weight, instances, role, sampling).",
    );
    expect(refusal(() => parseVariant('name=A,name=B,version=1,weight=1'))).toBe("'name' is given twice.");
    expect(refusal(() => parseVariant('name=A,version=1,weight=ninety'))).toBe(
      "weight 'ninety' is not a number.",
    );
    expect(refusal(() => parseVariant('name=A,version=1,weight='))).toBe("weight '' is not a number.");
    expect(refusal(() => parseVariant('name=A,version=1,weight=-5'))).toMatch(/^weight: Too small/);
    expect(refusal(() => parseVariant('name=A,version=1,weight=1,instances=1.5'))).toMatch(/^instances: /);
    expect(refusal(() => parseVariant('name=-x,version=1,weight=1'))).toMatch(/^name: must match/);
    expect(refusal(() => parseVariant('name=A,version=Bad Alias,weight=1'))).toMatch(/^version: /);
    expect(refusal(() => parseVariant('name=A,version=1,weight=1,role=mirror'))).toMatch(/^role: /);
    expect(refusal(() => parseVariant('name=A,version=1,weight=1,sampling=0'))).toMatch(
      /^sampling: Too small/,
    );
  });
});

describe('--rule', () => {
  it('reads a metric and its bounds', () => {
    expect(parseRule('error_rate:max=0.01,maxIncrease=0.01')).toEqual({
      metric: 'error_rate',
      max: 0.01,
      maxIncrease: 0.01,
    });
    expect(parseRule('latency_p95:maxRatio=1.2')).toEqual({ metric: 'latency_p95', maxRatio: 1.2 });
  });

  it('refuses an unknown metric, a rule without bounds and out-of-range bounds', () => {
    expect(refusal(() => parseRule('errors:max=1'))).toMatch(
      /^'errors' is not a metric \(error_rate, latency_p50,/,
    );
    expect(refusal(() => parseRule('error_rate'))).toMatch(/^no bound for error_rate: <metric>:max=/);
    expect(refusal(() => parseRule('error_rate:'))).toMatch(/^no bound for error_rate/);
    expect(refusal(() => parseRule('error_rate:min=1'))).toBe(
      "unknown key 'min' (known: max, maxIncrease, maxRatio).",
    );
    expect(refusal(() => parseRule('latency_p95:maxRatio=0.8'))).toBe(
      'latency_p95: maxRatio: Too small: expected number to be >=1.',
    );
    expect(refusal(() => parseRule('error_rate:max=-1'))).toMatch(/^error_rate: max: Too small/);
  });
});

describe('the start request', () => {
  const variant = [{ variantName: 'A', modelVersion: 2, weight: 100 }];

  it('holds only the options given', () => {
    expect(startRolloutRequestFrom({ variant })).toEqual({ variants: variant });
    expect(startRolloutRequestFrom({ variant, bake: 30 })).toEqual({
      variants: variant,
      strategy: { type: 'all_at_once', bakeSeconds: 30 },
    });
    expect(
      startRolloutRequestFrom({ variant, strategy: 'linear', steps: [10, 50, 100], window: 30, breaches: 3 }),
    ).toEqual({
      variants: variant,
      strategy: { type: 'linear', steps: [10, 50, 100] },
      guardrails: { windowSeconds: 30, consecutiveBreaches: 3 },
    });
  });

  it('refuses options that do not fit together, naming the option', () => {
    expect(refusal(() => startRolloutRequestFrom({ variant, percent: 10 }))).toBe(
      '--percent needs --strategy canary or linear',
    );
    expect(refusal(() => startRolloutRequestFrom({ variant, strategy: 'canary' }))).toBe(
      '--strategy canary needs --percent',
    );
    expect(
      refusal(() => startRolloutRequestFrom({ variant, strategy: 'canary', percent: 10, steps: [50] })),
    ).toBe('--steps needs --strategy linear');
    expect(refusal(() => startRolloutRequestFrom({ variant, strategy: 'linear' }))).toBe(
      '--strategy linear needs --percent or --steps',
    );
    expect(refusal(() => startRolloutRequestFrom({ variant, strategy: 'canary', percent: 100 }))).toMatch(
      /^--percent: Too big/,
    );
    expect(refusal(() => startRolloutRequestFrom({ variant, strategy: 'linear', steps: [10, 150] }))).toMatch(
      /^--steps: Too big/,
    );
    expect(refusal(() => startRolloutRequestFrom({ variant, window: 0.01 }))).toMatch(/^--window: Too small/);
  });
});
