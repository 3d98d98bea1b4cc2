import { pickVariant, type TrafficSplit, unitHash } from './traffic-split.js';

/** What a request says about where it should go. */
export interface RoutingHints {
  /** A variant asked for by name (`x-modelport-target-variant`, or the pool a request already chose). */
  readonly variant?: string | undefined;
  /** A sticky session (`x-modelport-session`, OpenAI's `user`): the same session, the same variant. */
  readonly session?: string | undefined;
  /** With `variant`: the fleet it belongs to (a rollout holds two); default: the next one if it has it. */
  readonly fleet?: Fleet | undefined;
}

/** During a rollout a deployment holds two fleets: the revision it serves, and the next one. */
export type Fleet = 'current' | 'next';

/** The next revision's split and its share of the traffic while a rollout moves it. */
export interface RolloutSplit {
  readonly split: TrafficSplit;
  /** 0–100: the share of requests (and sessions) the next fleet takes. */
  readonly percent: number;
}

/** Where the next fleet's pools are kept beside the current one's, keyed by variant. */
const NEXT_SLOT = '\u0000next';

/** The key of a variant's pool within a deployment: the next fleet's keys cannot clash with the current's. */
export function slotOf(variant: string, fleet: Fleet = 'current'): string {
  return fleet === 'next' ? `${variant}${NEXT_SLOT}` : variant;
}

/**
 * Whether a request goes to the next fleet. A session is hashed with the next revision's number,
 * so raising the percentage moves sessions only onto the next fleet, never back; within a fleet
 * the split's own stickiness holds, so sessions stay where they are once it is promoted.
 */
export function toNextFleet(
  rollout: RolloutSplit,
  salt: string,
  session: string | undefined,
  random: () => number = Math.random,
): boolean {
  if (rollout.percent <= 0) return false;
  if (rollout.percent >= 100) return true;
  const point =
    session === undefined ? random() : unitHash(salt, session, `rollout:${rollout.split.revision}`);
  return point * 100 < rollout.percent;
}

/**
 * The one place a request's pool is chosen among a deployment's variants (pools or their plans,
 * keyed by `slotOf`): the named variant (a shadow too: `x-modelport-target-variant` reaches one for
 * debugging), else the rollout's choice of fleet and that fleet's weighted choice among its
 * production variants, else the one variant a deployment without a split holds.
 */
export function choosePool<T>(
  bySlot: ReadonlyMap<string, T>,
  hints: RoutingHints,
  split?: TrafficSplit,
  rollout?: RolloutSplit,
): T | undefined {
  if (hints.variant !== undefined) {
    if (hints.fleet === 'next' || (hints.fleet === undefined && rollout)) {
      const next = bySlot.get(slotOf(hints.variant, 'next'));
      if (next !== undefined || hints.fleet === 'next') return next;
    }
    return bySlot.get(hints.variant);
  }
  if (rollout && toNextFleet(rollout, split?.salt ?? rollout.split.salt, hints.session)) {
    const chosen = pickVariant(rollout.split, hints.session);
    return chosen === undefined ? undefined : bySlot.get(slotOf(chosen, 'next'));
  }
  if (split) {
    const chosen = pickVariant(split, hints.session);
    if (chosen !== undefined) return bySlot.get(chosen);
    // Only the split's (production) variants take requests naming none: never a shadow.
    for (const { variant } of split.weights) if (bySlot.has(variant)) return bySlot.get(variant);
    return undefined;
  }
  for (const [slot, only] of bySlot) if (!slot.endsWith(NEXT_SLOT)) return only;
  return undefined;
}
