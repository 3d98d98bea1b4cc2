import type { AppError } from '../platform/errors/index.js';
import type { InstancePool, ServingPlan } from './instance-pool.js';

/** What the engine holds for one deployment: the pool taking traffic, the ones draining, its load state. */
export interface ServedDeployment {
  /** The latest plan: what an unloaded deployment loads again. */
  plan: ServingPlan;
  /** The pool taking traffic; undefined while first starting or once unloaded. */
  active: InstancePool | undefined;
  /** Pools of replaced versions, finishing their requests before they stop. */
  draining: Set<InstancePool>;
  /** Stopped to fit the memory budget; the next request loads it again. */
  unloaded: boolean;
  /** An on-demand load in flight, shared by every request that waits for it. */
  loading: Promise<InstancePool> | undefined;
  /** When a request was last forwarded (or the deployment started), for least-recently-used eviction. */
  lastUsedAt: number;
  /** Requests waiting for a load or a pick: the deployment is in use, not idle. */
  waiting: number;
  /** Why the on-demand load in flight is waiting: the memory its instances need is held by busy ones. */
  memoryRefusal: AppError | undefined;
}

export function newServedDeployment(plan: ServingPlan): ServedDeployment {
  return {
    plan,
    active: undefined,
    draining: new Set(),
    unloaded: false,
    loading: undefined,
    lastUsedAt: Date.now(),
    waiting: 0,
    memoryRefusal: undefined,
  };
}
