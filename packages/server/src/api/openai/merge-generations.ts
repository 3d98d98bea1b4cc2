import type { GenerationEvent } from '../../wire/index.js';
import type { Generation } from './start-generations.js';

interface Pulled {
  index: number;
  result: IteratorResult<GenerationEvent>;
}

/**
 * Interleaves the choices' events in arrival order (n > 1 streams them side by side). Each choice is
 * pulled again only after its previous event was consumed, so a slow client slows generation down.
 */
export async function* mergeGenerations(
  generations: readonly Generation[],
): AsyncGenerator<{ index: number; event: GenerationEvent }> {
  const pending = new Map<number, Promise<Pulled>>();
  const byIndex = new Map(generations.map((g) => [g.index, g]));
  const pull = (g: Generation) => {
    const next = g.events.next().then((result) => ({ index: g.index, result }));
    // Only the race observes it; without this a late rejection would be unhandled.
    next.catch(() => undefined);
    pending.set(g.index, next);
  };
  generations.forEach(pull);
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      pending.delete(index);
      if (result.done) continue;
      yield { index, event: result.value };
      const g = byIndex.get(index);
      if (g) pull(g);
    }
  } finally {
    for (const index of pending.keys())
      void byIndex
        .get(index)
        ?.events.return(undefined)
        .catch(() => undefined);
  }
}
