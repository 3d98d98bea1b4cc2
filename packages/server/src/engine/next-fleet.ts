import { AppError } from '../platform/errors/index.js';
import type { PoolLauncher } from './pool-launcher.js';
import { isIdle, servedOrThrow } from './served-deployment.js';
import { planSlot, type ServingPlan } from './serving-plan.js';
import type { TrafficSplit } from './traffic-split.js';

/**
 * Starts the next revision's fleet beside the current one without traffic (a rollout's
 * provisioning): every pool ready, or none kept. Both fleets stay loaded until `promoteNextFleet`
 * or `rollBackNextFleet`; `shiftToNextFleet` moves the traffic.
 */
export async function stageNextFleet(
  launcher: PoolLauncher,
  plans: readonly ServingPlan[],
  split: TrafficSplit,
): Promise<void> {
  const [first] = plans;
  if (!first) throw new Error('a revision has at least one variant');
  const served = servedOrThrow(launcher.served, first.deploymentId);
  if (served.rollout) throw new Error(`deployment '${served.name}' already has a next fleet`);
  const next = plans.map((p) => ({ ...p, fleet: 'next' as const }));
  // Pinned from the start, so no load of another deployment unloads the current fleet meanwhile.
  served.rollout = { split, percent: 0 };
  const started = await Promise.allSettled(next.map((p) => launcher.launch(p, true)));
  const pools = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed || launcher.served.get(first.deploymentId) !== served) {
    await Promise.all(pools.map((p) => p.stop(0)));
    served.rollout = undefined;
    launcher.memoryReleased.notify();
    if (failed) throw failed.reason;
    throw new AppError('deployment_not_found', `Deployment '${served.name}' was deleted meanwhile.`);
  }
  for (const pool of pools) {
    served.plans.set(planSlot(pool.plan), pool.plan);
    served.pools.set(planSlot(pool.plan), pool);
  }
}

/** Gives the next fleet `percent` of the traffic (sessions move onto it only, never back). */
export function shiftToNextFleet(launcher: PoolLauncher, deploymentId: string, percent: number): void {
  const served = servedOrThrow(launcher.served, deploymentId);
  if (!served.rollout) throw new Error(`deployment '${served.name}' has no next fleet`);
  served.rollout = { ...served.rollout, percent };
}

/** The next fleet becomes the current one (its pools keep running); the old fleet drains, then stops. */
export function promoteNextFleet(launcher: PoolLauncher, deploymentId: string): void {
  const served = servedOrThrow(launcher.served, deploymentId);
  const rollout = served.rollout;
  if (!rollout) throw new Error(`deployment '${served.name}' has no next fleet`);
  const next = [...served.pools.values()].filter((p) => p.plan.fleet === 'next');
  const old = [...served.pools.values()].filter((p) => p.plan.fleet !== 'next');
  served.pools.clear();
  served.plans.clear();
  for (const pool of next) {
    pool.joinCurrentFleet();
    served.pools.set(pool.plan.variant, pool);
    served.plans.set(pool.plan.variant, pool.plan);
  }
  served.split = rollout.split;
  served.rollout = undefined;
  for (const pool of old) launcher.drain(served, pool);
}

/** Takes the next fleet out of service at once (its requests and streams finish, then it stops). */
export function rollBackNextFleet(launcher: PoolLauncher, deploymentId: string): void {
  const served = launcher.served.get(deploymentId);
  if (!served?.rollout) return;
  served.rollout = undefined;
  for (const [slot, pool] of served.pools) {
    if (pool.plan.fleet !== 'next' || slot !== planSlot(pool.plan)) continue;
    served.pools.delete(slot);
    served.plans.delete(slot);
    launcher.drain(served, pool);
  }
}

/**
 * Whether the next fleet of `plans` fits the memory budget beside everything loaded now, once
 * the idle deployments it may unload are unloaded (a blue/green rollout holds both fleets).
 */
export function nextFleetFits(launcher: PoolLauncher, plans: readonly ServingPlan[]): boolean {
  const need = plans.reduce((n, p) => n + p.instanceBytes * p.settings.instances, 0);
  let evictable = 0;
  for (const s of launcher.served.values()) {
    if (s.deploymentId === plans[0]?.deploymentId || s.rollout || !isIdle(s)) continue;
    for (const pool of s.pools.values()) evictable += pool.memoryBytes;
  }
  return launcher.usedBytes() - evictable + need <= launcher.memoryBudgetBytes;
}
