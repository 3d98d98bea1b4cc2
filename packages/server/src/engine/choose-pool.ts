/** What a request says about where it should go; nothing yet chooses among variants by hint. */
export interface RoutingHints {
  /** A variant asked for by name (the pool a request already chose, when its pool was replaced). */
  readonly variant?: string;
}

/**
 * The one place a request's pool is chosen among a deployment's variants (pools or their plans,
 * keyed by variant name). A deployment holds one variant today, so without a hint it is that one;
 * weighted splits, canaries and failover decide here.
 */
export function choosePool<T>(byVariant: ReadonlyMap<string, T>, hints: RoutingHints): T | undefined {
  if (hints.variant !== undefined) return byVariant.get(hints.variant);
  for (const chosen of byVariant.values()) return chosen;
  return undefined;
}
