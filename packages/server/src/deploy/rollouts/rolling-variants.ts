import type { Engine, InstancePool } from '../../engine/index.js';
import type { FleetMoves } from './fleet-moves.js';
import type { FleetSpec } from './run-spec.js';

/**
 * The `rolling` strategy: no next fleet beside the current one; each step swaps the pools of the
 * next variants of the new revision in place, and a rollback swaps the old versions back in.
 */
export class RollingVariants implements FleetMoves {
  /** The variants whose pools already run the new revision. */
  private readonly rolled = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly from: FleetSpec,
    private readonly to: FleetSpec,
  ) {}

  /** Nothing to start beforehand: each step starts its variants' pools. */
  async provision(): Promise<void> {}

  /** The first `step + 1` variants of the new revision take over their pools in place. */
  async shiftTo(step: number): Promise<void> {
    const { from, to } = this;
    const rolledPlans = to.plans.slice(0, step + 1);
    for (const p of rolledPlans) this.rolled.add(p.variant);
    if (rolledPlans.length >= to.plans.length) return this.engine.deploy(to.plans, to.split);
    const kept = from.plans.filter((p) => !this.rolled.has(p.variant));
    const weightIn = (fleet: FleetSpec, variant: string) =>
      fleet.split.weights.find((w) => w.variant === variant)?.weight ?? 0;
    const weights = [
      ...rolledPlans.map((p) => ({ variant: p.variant, weight: weightIn(to, p.variant) })),
      ...kept.map((p) => ({ variant: p.variant, weight: weightIn(from, p.variant) })),
    ];
    await this.engine.deploy([...rolledPlans, ...kept], { ...from.split, weights });
  }

  /** The variants not rolled yet take the new revision too. */
  async complete(step: number, last: number): Promise<void> {
    if (step < last) await this.shiftTo(last);
  }

  /** Every variant back on the old revision (nothing to swap when none was rolled yet). */
  async rollBack(announce: () => Promise<void>): Promise<void> {
    await announce();
    if (this.rolled.size > 0) await this.engine.deploy(this.from.plans, this.from.split);
    this.rolled.clear();
  }

  isNew(pool: InstancePool): boolean {
    return this.rolled.has(pool.plan.variant);
  }
}
