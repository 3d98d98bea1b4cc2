import type { Engine, InstancePool } from '../../engine/index.js';
import type { RunSpec } from './run-spec.js';

/**
 * How a run moves traffic from revision N to N+1. Every strategy but `rolling` holds the next
 * fleet beside the current one and moves shares between them (`nextFleetMoves`); `rolling` swaps
 * variants' pools in place (rolling-variants.ts).
 */
export interface FleetMoves {
  /** Starts what the new revision needs before its first step; throws when it cannot start. */
  provision(): Promise<void>;
  /** The new revision takes step `step`: `percent` of the traffic. */
  shiftTo(step: number, percent: number): Promise<void>;
  /** Everything moves to the new revision for good (`step` is where the run stands, `last` its last step). */
  complete(step: number, last: number): Promise<void>;
  /**
   * Traffic back on revision N. `announce` stores the `rolling_back` state: after a move that is
   * instant (the current fleet never left), before one that takes time.
   */
  rollBack(announce: () => Promise<void>): Promise<void>;
  /** Whether a pool of the deployment serves the new revision. */
  isNew(pool: InstancePool): boolean;
}

/** The next fleet beside the current one: staged, given its share step by step, then promoted. */
export function nextFleetMoves(engine: Engine, spec: RunSpec): FleetMoves {
  return {
    provision: () => engine.stage(spec.to.plans, spec.to.split),
    shiftTo: async (_step, percent) => engine.shift(spec.deploymentId, percent),
    complete: async () => engine.promote(spec.deploymentId),
    rollBack: async (announce) => {
      engine.rollBack(spec.deploymentId);
      await announce();
    },
    isNew: (pool) => pool.plan.fleet === 'next',
  };
}
