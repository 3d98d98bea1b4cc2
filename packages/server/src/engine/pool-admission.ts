import type { InstancePool } from './instance-pool.js';
import { type IdleDeployment, planAdmission } from './memory-budget.js';
import type { ServedDeployment } from './served-deployment.js';

/** Memory of every running or starting instance, but the active pool of `exceptDeploymentId`. */
export function usedBytes(
  served: ReadonlyMap<string, ServedDeployment>,
  starting: ReadonlySet<InstancePool>,
  exceptDeploymentId?: string,
): number {
  let total = 0;
  for (const [id, s] of served) {
    if (s.active && id !== exceptDeploymentId) total += s.active.memoryBytes;
    for (const p of s.draining) total += p.memoryBytes;
  }
  for (const p of starting) total += p.plannedBytes;
  return total;
}

/**
 * The deployments to unload so `pool` fits the budget (none when `evict` is false): idle ones
 * only, with nothing in flight or waiting. Throws the budget's catalogued refusal when even
 * unloading every idle one would not make room. The deployment's own active pool is not counted:
 * a swap drains it once the new pool is ready.
 */
export function admissionVictims(
  served: ReadonlyMap<string, ServedDeployment>,
  starting: ReadonlySet<InstancePool>,
  pool: InstancePool,
  budgetBytes: number,
  evict: boolean,
): ServedDeployment[] {
  const id = pool.plan.deploymentId;
  const idle: (IdleDeployment & { served: ServedDeployment })[] = [];
  for (const [deploymentId, s] of served) {
    if (deploymentId === id || !s.active || s.active.outstanding > 0 || s.waiting > 0) continue;
    idle.push({
      deploymentId,
      name: s.plan.name,
      bytes: s.active.memoryBytes,
      lastUsedAt: s.lastUsedAt,
      served: s,
    });
  }
  const victims = planAdmission({
    name: pool.plan.name,
    needBytes: pool.plannedBytes,
    usedBytes: usedBytes(served, starting, id),
    budgetBytes,
    idle: evict ? idle : [],
  });
  return victims.map((v) => v.served);
}
