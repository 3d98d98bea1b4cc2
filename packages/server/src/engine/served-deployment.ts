import { AppError } from '../platform/errors/index.js';
import type { RolloutSplit } from './choose-pool.js';
import type { InstancePool, PoolInstance } from './instance-pool.js';
import { planSlot, type ServingPlan } from './serving-plan.js';
import type { TrafficSplit } from './traffic-split.js';

/**
 * What the engine holds for one deployment: a pool per variant taking traffic, the replaced pools
 * draining, and its load state (a deployment is loaded and unloaded as a whole).
 */
export interface ServedDeployment {
  readonly deploymentId: string;
  /** The deployment's name, for logs and errors. */
  readonly name: string;
  /** The latest plan of each variant (keyed by `planSlot`): what an unloaded deployment loads again. */
  readonly plans: Map<string, ServingPlan>;
  /** The pool taking traffic for each variant (keyed by `planSlot`); none while first starting or once unloaded. */
  readonly pools: Map<string, InstancePool>;
  /** Pools of replaced versions, finishing their requests before they stop. */
  readonly draining: Set<InstancePool>;
  /** Instances a scale-down took out of rotation, finishing their requests before they stop. */
  readonly retiring: Set<{ instance: PoolInstance; plan: ServingPlan }>;
  /** How requests naming no variant are split; none: the first variant takes them. */
  split: TrafficSplit | undefined;
  /**
   * A rollout in progress: the next revision's split and share. Its pools are the `next` slots;
   * both fleets stay loaded (never unloaded for the budget) until it is promoted or rolled back.
   */
  rollout: RolloutSplit | undefined;
  /** Stopped to fit the memory budget; the next request loads it again. */
  unloaded: boolean;
  /** An on-demand load in flight, shared by every request that waits for it. */
  loading: Promise<void> | undefined;
  /** When a request was last forwarded (or the deployment started), for least-recently-used eviction. */
  lastUsedAt: number;
  /** Requests waiting for a load or a pick: the deployment is in use, not idle. */
  waiting: number;
  /** Why the on-demand load in flight is waiting: the memory its instances need is held by busy ones. */
  memoryRefusal: AppError | undefined;
}

export function newServedDeployment(plan: ServingPlan): ServedDeployment {
  return {
    deploymentId: plan.deploymentId,
    name: plan.name,
    plans: new Map([[planSlot(plan), plan]]),
    pools: new Map(),
    draining: new Set(),
    retiring: new Set(),
    split: undefined,
    rollout: undefined,
    unloaded: false,
    loading: undefined,
    lastUsedAt: Date.now(),
    waiting: 0,
    memoryRefusal: undefined,
  };
}

/** The deployment the engine serves, or 503 `model_not_ready` when it serves none by that id. */
export function servedOrThrow(
  served: ReadonlyMap<string, ServedDeployment>,
  deploymentId: string,
): ServedDeployment {
  const found = served.get(deploymentId);
  if (!found) throw new AppError('model_not_ready', 'The deployment is not running.', { retryAfterS: 1 });
  return found;
}

/** Whether every pool of the deployment is without a request in flight or waiting. */
export function isIdle(served: ServedDeployment): boolean {
  if (served.waiting > 0) return false;
  for (const pool of served.pools.values()) if (pool.outstanding > 0) return false;
  return true;
}

/** What the deployment's pools taking traffic hold now. */
export function activeBytes(served: ServedDeployment): number {
  let total = 0;
  for (const pool of served.pools.values()) total += pool.memoryBytes;
  return total;
}

/**
 * Whether a revision's plan needs a new pool: the deployment is unloaded, the variant is new or
 * asked to restart, or its version or settings changed (threads follow the CPU budget, not the user).
 */
export function needsNewPool(
  served: ServedDeployment,
  plan: ServingPlan,
  restart: readonly string[],
): boolean {
  const slot = planSlot(plan);
  const current = served.plans.get(slot);
  return (
    served.unloaded ||
    restart.includes(plan.variant) ||
    !served.pools.has(slot) ||
    current === undefined ||
    current.version !== plan.version ||
    current.artifactPath !== plan.artifactPath ||
    JSON.stringify(current.settings) !== JSON.stringify(plan.settings)
  );
}

/**
 * Takes the slots a new revision lacks out of service (their pools are returned to drain) and
 * records the plans of those it adds.
 */
export function retireRemoved(served: ServedDeployment, plans: readonly ServingPlan[]): InstancePool[] {
  const wanted = new Set(plans.map(planSlot));
  const retired: InstancePool[] = [];
  for (const [slot, pool] of served.pools) {
    if (wanted.has(slot)) continue;
    served.pools.delete(slot);
    retired.push(pool);
  }
  for (const slot of served.plans.keys()) if (!wanted.has(slot)) served.plans.delete(slot);
  for (const plan of plans) if (!served.plans.has(planSlot(plan))) served.plans.set(planSlot(plan), plan);
  return retired;
}

/**
 * The plans a revision keeps on their running pools (same version and settings) may still change
 * whether the variant is a shadow, and its sampling: the kept pools and stored plans take that on.
 */
export function retagKept(
  served: ServedDeployment,
  plans: readonly ServingPlan[],
  started: readonly ServingPlan[],
): void {
  for (const plan of plans) {
    if (started.includes(plan)) continue;
    const pool = served.pools.get(planSlot(plan));
    if (!pool || JSON.stringify(pool.plan.shadow) === JSON.stringify(plan.shadow)) continue;
    pool.retag(plan.shadow);
    served.plans.set(planSlot(plan), pool.plan);
  }
}

/** Lets a replaced or removed pool finish its requests (and streams), then stops it. */
export async function drain(served: ServedDeployment, pool: InstancePool): Promise<void> {
  served.draining.add(pool);
  while (pool.outstanding > 0) await new Promise((r) => setTimeout(r, 20));
  // From here no request is admitted to it (checked in the same turn as its outstanding count).
  pool.stopping = true;
  await pool.stop();
  served.draining.delete(pool);
}
