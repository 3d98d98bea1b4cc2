import { createHash } from 'node:crypto';

/** One variant's share of a deployment's traffic (any non-negative number; shares are relative). */
export interface VariantWeight {
  readonly variant: string;
  readonly weight: number;
}

/** How a revision of a deployment splits its traffic among its production variants. */
export interface TrafficSplit {
  /** The deployment's revision this split belongs to (answered as `x-modelport-revision`). */
  readonly revision: number;
  /** Kept across the revisions of one deployment, so a session keeps its variant when weights change. */
  readonly salt: string;
  /** In a stable order (the revision's); weight 0 takes only requests that name the variant. */
  readonly weights: readonly VariantWeight[];
}

/**
 * The variant a request without a named variant goes to. A session is placed by weighted
 * rendezvous hashing: each variant scores `weight / -ln(h(salt, session, variant))` and the highest
 * wins, so raising one variant's weight moves sessions only onto it, never between the others
 * (ADR 7). A request without a session draws at random in proportion to the weights.
 */
export function pickVariant(
  split: TrafficSplit,
  session: string | undefined,
  random: () => number = Math.random,
): string | undefined {
  const live = split.weights.filter((w) => w.weight > 0);
  if (session !== undefined) {
    let best: string | undefined;
    let bestScore = -1;
    for (const { variant, weight } of live) {
      const score = weight / -Math.log(unitHash(split.salt, session, variant));
      if (score > bestScore) [best, bestScore] = [variant, score];
    }
    return best;
  }
  const total = live.reduce((sum, w) => sum + w.weight, 0);
  let point = random() * total;
  for (const { variant, weight } of live) {
    point -= weight;
    if (point < 0) return variant;
  }
  return live.at(-1)?.variant;
}

/** A stable hash of the three strings into (0, 1): 48 bits of sha256, never 0 (its log is finite). */
export function unitHash(salt: string, session: string, variant: string): number {
  const digest = createHash('sha256').update(`${salt}\0${session}\0${variant}`).digest();
  return (digest.readUIntBE(0, 6) + 0.5) / 2 ** 48;
}
