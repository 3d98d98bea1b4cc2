import { type RolloutStrategy, rolloutStrategySchema } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { rolloutSteps } from '../../src/deploy/rollouts/rollout-steps.js';

const steps = (strategy: unknown) => rolloutSteps(rolloutStrategySchema.parse(strategy));

/** The AppError thrown, for its code and message. */
const refusal = (strategy: RolloutStrategy) => {
  try {
    rolloutSteps(strategy);
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
};

describe('rollout steps', () => {
  it('moves everything at once for all_at_once and rolling', () => {
    expect(steps({ type: 'all_at_once' })).toEqual([100]);
    expect(steps({ type: 'rolling' })).toEqual([100]);
  });

  it('takes one canary step, then all', () => {
    expect(steps({ type: 'canary', percent: 10 })).toEqual([10, 100]);
  });

  it('steps linearly by percent, the last clamped to 100', () => {
    expect(steps({ type: 'linear', percent: 30 })).toEqual([30, 60, 90, 100]);
    expect(steps({ type: 'linear', percent: 25 })).toEqual([25, 50, 75, 100]);
    expect(steps({ type: 'linear', percent: 100 })).toEqual([100]);
    expect(steps({ type: 'linear', percent: 33.3 })).toEqual([33.3, 66.6, 99.9, 100]);
  });

  it('allows exactly 100 steps of 1%, and no more', () => {
    const hundred = steps({ type: 'linear', percent: 1 });
    expect(hundred).toHaveLength(100);
    expect(hundred.at(-1)).toBe(100);
    expect(refusal({ type: 'linear', percent: 0.99, bakeSeconds: 0 })).toMatchObject({
      code: 'invalid_rollout',
      status: 400,
    });
  });

  it('takes explicit steps as given', () => {
    expect(steps({ type: 'linear', steps: [5, 20, 50, 100] })).toEqual([5, 20, 50, 100]);
  });

  it('refuses a linear strategy with both or neither of percent and steps', () => {
    expect(refusal({ type: 'linear', percent: 10, steps: [50, 100], bakeSeconds: 0 })).toMatchObject({
      code: 'invalid_rollout',
      message: expect.stringMatching(/not both/),
    });
    expect(refusal({ type: 'linear', bakeSeconds: 0 })).toMatchObject({
      code: 'invalid_rollout',
      message: expect.stringMatching(/needs/),
    });
  });

  it('refuses steps that do not increase strictly', () => {
    for (const s of [
      [50, 50, 100],
      [60, 40, 100],
    ]) {
      expect(refusal({ type: 'linear', steps: s, bakeSeconds: 0 })).toMatchObject({
        code: 'invalid_rollout',
        message: expect.stringMatching(/increase/),
      });
    }
  });

  it('refuses steps that do not end at exactly 100', () => {
    expect(refusal({ type: 'linear', steps: [10, 50, 99], bakeSeconds: 0 })).toMatchObject({
      code: 'invalid_rollout',
      message: expect.stringMatching(/end at 100/),
    });
  });

  it('refuses more than 100 explicit steps', () => {
    const many = [...Array.from({ length: 100 }, (_, i) => (i + 1) * 0.99), 100];
    expect(many).toHaveLength(101);
    expect(refusal({ type: 'linear', steps: many, bakeSeconds: 0 })).toMatchObject({
      code: 'invalid_rollout',
      message: expect.stringMatching(/at most 100/),
    });
  });
});
