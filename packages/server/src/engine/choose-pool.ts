import { pickVariant, type TrafficSplit } from './traffic-split.js';

/** What a request says about where it should go. */
export interface RoutingHints {
  /** A variant asked for by name (`x-modelport-target-variant`, or the pool a request already chose). */
  readonly variant?: string | undefined;
  /** A sticky session (`x-modelport-session`, OpenAI's `user`): the same session, the same variant. */
  readonly session?: string | undefined;
}

/**
 * The one place a request's pool is chosen among a deployment's variants (pools or their plans,
 * keyed by variant name): the named variant, else the split's weighted choice, else the one
 * variant a deployment without a split holds.
 */
export function choosePool<T>(
  byVariant: ReadonlyMap<string, T>,
  hints: RoutingHints,
  split?: TrafficSplit,
): T | undefined {
  if (hints.variant !== undefined) return byVariant.get(hints.variant);
  const chosen = split && pickVariant(split, hints.session);
  if (chosen !== undefined) return byVariant.get(chosen);
  for (const only of byVariant.values()) return only;
  return undefined;
}
