import type { Guardrails, RolloutState } from '@modelport/contracts';
import type { ServingPlan, TrafficSplit } from '../../engine/index.js';

/** A fleet a rollout moves between: its plans and its split. */
export interface FleetSpec {
  readonly plans: readonly ServingPlan[];
  readonly split: TrafficSplit;
}

/** What one run of a rollout does: its strategy, steps, bakes and guardrails, from fleet to fleet. */
export interface RunSpec {
  readonly id: string;
  readonly deploymentId: string;
  readonly deployment: string;
  readonly strategy: 'all_at_once' | 'canary' | 'linear' | 'rolling';
  /** Percentages of the traffic on the new revision, step by step (ending at 100). */
  readonly steps: readonly number[];
  readonly bakeMs: number;
  readonly guardrails: Guardrails;
  readonly onInconclusive: 'pause' | 'rollback' | 'promote';
  readonly from: FleetSpec;
  readonly to: FleetSpec;
}

/** Where a resumed run picks up (a restarted server), or a fresh one starts. */
export interface RunStart {
  state: RolloutState;
  step: number;
  reason: string | null;
}

/** Who a run's own events (steps, breaches, rollbacks) are recorded as: the key that started it. */
export interface Starter {
  projectId: string;
  keyId: string | null;
}
