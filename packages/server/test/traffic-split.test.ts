import { describe, expect, it } from 'vitest';
import { choosePool } from '../src/engine/choose-pool.js';
import { pickVariant } from '../src/engine/traffic-split.js';
import { mulberry32 } from '../src/training/index.js';

const split = (weights: Record<string, number>) => ({
  revision: 1,
  salt: 'dep_1',
  weights: Object.entries(weights).map(([variant, weight]) => ({ variant, weight })),
});

const sessions = Array.from({ length: 20_000 }, (_, i) => `session-${i}`);
const share = (picks: (string | undefined)[], variant: string) =>
  (100 * picks.filter((p) => p === variant).length) / picks.length;

describe('the traffic split', () => {
  it('draws requests without a session in proportion to the weights, never a variant of weight 0', () => {
    const random = mulberry32(7);
    const picks = Array.from({ length: 20_000 }, () =>
      pickVariant(split({ A: 60, B: 30, C: 10, D: 0 }), undefined, random),
    );
    expect(Math.abs(share(picks, 'A') - 60)).toBeLessThan(1.5);
    expect(Math.abs(share(picks, 'B') - 30)).toBeLessThan(1.5);
    expect(Math.abs(share(picks, 'C') - 10)).toBeLessThan(1.5);
    expect(share(picks, 'D')).toBe(0);
  });

  it('places sessions in proportion to the weights, the same session always on the same variant', () => {
    const s = split({ A: 60, B: 30, C: 10, D: 0 });
    const picks = sessions.map((id) => pickVariant(s, id));
    expect(Math.abs(share(picks, 'A') - 60)).toBeLessThan(1.5);
    expect(Math.abs(share(picks, 'B') - 30)).toBeLessThan(1.5);
    expect(share(picks, 'D')).toBe(0);
    expect(sessions.map((id) => pickVariant(s, id))).toEqual(picks);
  });

  it('moves sessions only onto the variant whose weight rose, and none between the others', () => {
    const before = sessions.map((id) => pickVariant(split({ A: 60, B: 10, C: 30 }), id));
    const after = sessions.map((id) => pickVariant(split({ A: 60, B: 50, C: 30 }), id));
    const moves = before.flatMap((b, i) => (b === after[i] ? [] : [`${b}->${after[i]}`]));
    expect(new Set(moves)).toEqual(new Set(['A->B', 'C->B']));
    // B goes from 10% to 50/140 ≈ 35.7% of the sessions: about that many move, no more.
    expect(Math.abs((100 * moves.length) / sessions.length - (50 / 140 - 0.1) * 100)).toBeLessThan(1.5);
  });

  it('places sessions of another salt (another deployment) independently', () => {
    const a = sessions.map((id) => pickVariant(split({ A: 50, B: 50 }), id));
    const b = sessions.map((id) => pickVariant({ ...split({ A: 50, B: 50 }), salt: 'dep_2' }, id));
    const same = a.filter((v, i) => v === b[i]).length / sessions.length;
    expect(Math.abs(same - 0.5)).toBeLessThan(0.03);
  });

  it('answers the named variant first, whatever its weight, and nothing for an unknown one', () => {
    const pools = new Map([
      ['A', 'pool-A'],
      ['B', 'pool-B'],
    ]);
    expect(choosePool(pools, { variant: 'B' }, split({ A: 100, B: 0 }))).toBe('pool-B');
    expect(choosePool(pools, { variant: 'Z' }, split({ A: 100, B: 0 }))).toBeUndefined();
    expect(choosePool(pools, {}, split({ A: 0, B: 1 }))).toBe('pool-B');
  });
});
