import type { Autoscaling } from '@modelport/contracts';

/** What a variant's scaler remembers between ticks: concurrency samples and its recent wishes. */
export interface ScalerMemory {
  /** Requests in flight on the pool, sampled every tick (epoch ms, count). */
  samples: { at: number; concurrency: number }[];
  /** Desired counts of the last ticks, for the scale-down delay. */
  wishes: { at: number; desired: number }[];
  /** Panic lasts until then (a stable window after demand last reached the panic threshold). */
  panicUntil: number;
}

export interface ScaleDecision {
  mode: 'stable' | 'panic';
  stableConcurrency: number;
  panicConcurrency: number;
  /** What the pool should hold now, within min and max (at least 1: zero is the idle rule's). */
  desired: number;
  reason: string | null;
}

export function newScalerMemory(): ScalerMemory {
  return { samples: [], wishes: [], panicUntil: 0 };
}

const average = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * Knative's KPA on one pool: desired = ⌈average concurrency ÷ target⌉ over the stable window; when
 * the panic window's average reaches `panicThreshold` × what `current` instances can take, the
 * panic window decides and nothing scales down until a stable window has passed without panic.
 * A lower count is taken only once it has been wanted for the whole scale-down delay.
 */
export function decideScale(
  memory: ScalerMemory,
  config: Autoscaling,
  now: number,
  current: number,
): ScaleDecision {
  const stableFrom = now - config.stableWindowSeconds * 1000;
  const panicFrom = now - config.panicWindowSeconds * 1000;
  memory.samples = memory.samples.filter((s) => s.at > stableFrom);
  const stableConcurrency = average(memory.samples.map((s) => s.concurrency));
  const panicConcurrency = average(memory.samples.filter((s) => s.at > panicFrom).map((s) => s.concurrency));
  const target = config.targetConcurrency;
  if (panicConcurrency >= config.panicThreshold * Math.max(1, current) * target)
    memory.panicUntil = now + config.stableWindowSeconds * 1000;
  const panicking = now < memory.panicUntil;
  const floor = Math.max(1, config.minInstances);
  const clamp = (n: number) => Math.min(config.maxInstances, Math.max(floor, n));
  let wanted = clamp(Math.ceil(stableConcurrency / target));
  if (panicking) wanted = Math.max(current, clamp(Math.ceil(panicConcurrency / target)));
  memory.wishes = memory.wishes.filter((w) => w.at > now - config.scaleDownDelaySeconds * 1000);
  memory.wishes.push({ at: now, desired: wanted });
  // Down only to the highest count wanted within the delay: a dip in load does not stop instances.
  const desired =
    wanted >= current ? wanted : Math.min(current, Math.max(...memory.wishes.map((w) => w.desired)));
  const atMax =
    desired === config.maxInstances &&
    Math.ceil(Math.max(stableConcurrency, panicConcurrency) / target) > desired;
  return {
    mode: panicking ? 'panic' : 'stable',
    stableConcurrency,
    panicConcurrency,
    desired,
    reason:
      desired > wanted
        ? 'waiting out the scale-down delay'
        : atMax
          ? `demand wants more than maxInstances (${config.maxInstances})`
          : null,
  };
}
