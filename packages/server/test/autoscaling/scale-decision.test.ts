import { autoscalingSchema } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { decideScale, newScalerMemory } from '../../src/engine/scale-decision.js';

const config = autoscalingSchema.parse({
  minInstances: 1,
  maxInstances: 10,
  targetConcurrency: 2,
  stableWindowSeconds: 60,
  panicWindowSeconds: 6,
  panicThreshold: 2,
  scaleDownDelaySeconds: 30,
});

/** Feeds one sample a second for `seconds` from `from`, deciding each time; answers the last decision. */
function run(memory = newScalerMemory(), { from = 0, seconds = 1, concurrency = 0, current = 1 } = {}) {
  let last = decideScale(memory, config, from, current);
  for (let s = 0; s < seconds; s++) {
    const at = from + s * 1000;
    memory.samples.push({ at, concurrency });
    last = decideScale(memory, config, at, current);
  }
  return { memory, last };
}

describe('autoscaling decisions (Knative KPA)', () => {
  it('sizes to the stable average ÷ the target, within min and max', () => {
    expect(run(undefined, { seconds: 60, concurrency: 5, current: 3 }).last).toMatchObject({
      desired: 3,
      mode: 'stable',
    });
    expect(run(undefined, { seconds: 60, concurrency: 100, current: 10 }).last).toMatchObject({
      desired: 10,
      reason: 'demand wants more than maxInstances (10)',
    });
    expect(run(undefined, { seconds: 60, concurrency: 0, current: 1 }).last.desired).toBe(1);
  });

  it('panics when the short window reaches 2× what the pool can take, and scales up at once', () => {
    const calm = run(undefined, { seconds: 54, concurrency: 2, current: 1 });
    expect(calm.last).toMatchObject({ desired: 1, mode: 'stable' });
    // Six seconds at 8 in flight: the stable average barely moves, the panic window sees 4× one instance.
    const { last } = run(calm.memory, { from: 54_000, seconds: 6, concurrency: 8, current: 1 });
    expect(last).toMatchObject({ mode: 'panic', desired: 4 });
    expect(last.stableConcurrency).toBeLessThan(3);
  });

  it('does not scale down in panic, nor before the scale-down delay has passed', () => {
    const busy = run(undefined, { seconds: 10, concurrency: 8, current: 1 });
    expect(busy.last.desired).toBe(4);
    const quiet = run(busy.memory, { from: 10_000, seconds: 20, concurrency: 0, current: 4 });
    expect(quiet.last).toMatchObject({ desired: 4, mode: 'panic' });
    // Past the panic (a stable window after its last trigger) and the delay, it comes down.
    const later = run(quiet.memory, { from: 30_000, seconds: 100, concurrency: 0, current: 4 });
    expect(later.last).toMatchObject({ desired: 1, mode: 'stable' });
  });

  it('holds a higher count wanted within the delay (a dip does not stop instances)', () => {
    const steady = run(undefined, { seconds: 120, concurrency: 6, current: 3 });
    expect(steady.last.desired).toBe(3);
    const dip = run(steady.memory, { from: 120_000, seconds: 5, concurrency: 0, current: 3 });
    expect(dip.last.desired).toBe(3);
  });
});
