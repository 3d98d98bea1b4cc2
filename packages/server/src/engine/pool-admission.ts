import type { InstancePool } from './instance-pool.js';
import { type IdleDeployment, planAdmission } from './memory-budget.js';
import { activeBytes, isIdle, type ServedDeployment } from './served-deployment.js';
import { planSlot, type ServingPlan } from './serving-plan.js';

type PoolKey = Pick<ServingPlan, 'deploymentId' | 'variant' | 'fleet'>;

/** Memory of every running, draining or starting instance, but the pool taking traffic for `except`. */
export function usedBytes(
  served: ReadonlyMap<string, ServedDeployment>,
  starting: ReadonlySet<InstancePool>,
  except?: PoolKey,
): number {
  let total = 0;
  for (const [id, s] of served) {
    for (const [slot, p] of s.pools) {
      if (id !== except?.deploymentId || slot !== planSlot(except)) total += p.memoryBytes;
    }
    for (const p of s.draining) total += p.memoryBytes;
    for (const { instance, plan } of s.retiring) total += instance.host.memoryBytes(plan.instanceBytes);
  }
  for (const p of starting) total += p.plannedBytes;
  return total;
}

/**
 * The deployments to unload so `pool` fits the budget (none when `evict` is false): idle ones
 * only, with nothing in flight or waiting. Throws the budget's catalogued refusal when even
 * unloading every idle one would not make room. The pool it replaces (same deployment and variant)
 * is not counted: a swap drains it once the new pool is ready.
 */
export function admissionVictims(
  served: ReadonlyMap<string, ServedDeployment>,
  starting: ReadonlySet<InstancePool>,
  pool: InstancePool,
  budgetBytes: number,
  evict: boolean,
  replaces = true,
): ServedDeployment[] {
  const id = pool.plan.deploymentId;
  const idle: (IdleDeployment & { served: ServedDeployment })[] = [];
  for (const [deploymentId, s] of served) {
    // A deployment in a rollout keeps both fleets: a rollback must only move traffic.
    if (deploymentId === id || s.pools.size === 0 || s.rollout || !isIdle(s)) continue;
    idle.push({ deploymentId, name: s.name, bytes: activeBytes(s), lastUsedAt: s.lastUsedAt, served: s });
  }
  const victims = planAdmission({
    name: pool.plan.name,
    needBytes: pool.plannedBytes,
    usedBytes: usedBytes(served, starting, replaces ? pool.plan : undefined),
    budgetBytes,
    idle: evict ? idle : [],
  });
  return victims.map((v) => v.served);
}
