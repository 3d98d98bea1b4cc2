import type { DeploymentStatus } from '@modelport/contracts';
import { choosePool, type RolloutSplit, type RoutingHints } from './choose-pool.js';
import type { InstancePool } from './instance-pool.js';
import { usedBytes } from './pool-admission.js';
import type { ServedDeployment } from './served-deployment.js';
import type { ServingPlan } from './serving-plan.js';
import type { TrafficSplit } from './traffic-split.js';

/** What the engine serves, asked without changing it: pools, plans, splits, status and memory. */
export class EngineView {
  protected readonly served = new Map<string, ServedDeployment>();
  protected readonly starting = new Set<InstancePool>();

  /** The plan of every variant the engine serves (or loads again) for a deployment. */
  plans(deploymentId: string): ServingPlan[] {
    return [...(this.served.get(deploymentId)?.plans.values() ?? [])];
  }

  /** The split of a deployment's revision served now. */
  split(deploymentId: string): TrafficSplit | undefined {
    return this.served.get(deploymentId)?.split;
  }

  /** Memory of every running, draining or starting instance. */
  usedBytes(): number {
    return usedBytes(this.served, this.starting);
  }

  /** Every pool taking traffic now, for metrics that ask the runners. */
  activePools(): InstancePool[] {
    return [...this.served.values()].flatMap((s) => [...s.pools.values()]);
  }

  /** Every variant's pool taking traffic for a deployment. */
  pools(deploymentId: string): InstancePool[] {
    return [...(this.served.get(deploymentId)?.pools.values() ?? [])];
  }

  /** The current fleet's shadow pools of a deployment: they get copies of its production requests. */
  shadowPools(deploymentId: string): InstancePool[] {
    return this.pools(deploymentId).filter((p) => p.plan.shadow && p.plan.fleet !== 'next');
  }

  /** The pool a request with `hints` goes to now, without loading an unloaded deployment. */
  pool(deploymentId: string, hints: RoutingHints = {}): InstancePool | undefined {
    const served = this.served.get(deploymentId);
    return served && choosePool(served.pools, hints, served.split, served.rollout);
  }

  /** The plan a request with `hints` is served by, or loads again when unloaded. */
  plan(deploymentId: string, hints: RoutingHints = {}): ServingPlan | undefined {
    const served = this.served.get(deploymentId);
    return served && choosePool(served.plans, hints, served.split, served.rollout);
  }

  /** The rollout in progress on a deployment: the next revision's split and share. */
  rollout(deploymentId: string): RolloutSplit | undefined {
    return this.served.get(deploymentId)?.rollout;
  }

  status(deploymentId: string): DeploymentStatus {
    const served = this.served.get(deploymentId);
    if (served && [...served.pools.values()].some((p) => p.ready)) return 'ready';
    if (served?.loading || [...this.starting].some((p) => p.plan.deploymentId === deploymentId)) {
      return 'loading';
    }
    return served?.unloaded ? 'unloaded' : 'down';
  }
}
