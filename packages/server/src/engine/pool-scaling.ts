import type { InstancePool } from './instance-pool.js';
import type { PoolLauncher } from './pool-launcher.js';
import { isIdle } from './served-deployment.js';
import { planSlot } from './serving-plan.js';

/** A served deployment as the autoscaler sees it. */
export interface ScalableDeployment {
  deploymentId: string;
  unloaded: boolean;
  idleSince: number;
  inRollout: boolean;
  pools: InstancePool[];
}

/**
 * Adds `count` instances to a pool taking traffic, within the memory budget (unloading idle
 * deployments as any start does; the budget's refusal is thrown). They take requests once ready.
 */
export async function growPool(launcher: PoolLauncher, pool: InstancePool, count: number): Promise<void> {
  const plan = { ...pool.plan, settings: { ...pool.plan.settings, instances: count } };
  const grown = await launcher.launch(plan, true, false);
  const served = launcher.served.get(pool.plan.deploymentId);
  if (pool.stopping || !served || served.pools.get(planSlot(pool.plan)) !== pool) {
    await grown.stop(0);
    return;
  }
  pool.adopt(grown);
}

/**
 * Takes `count` of a pool's least busy instances out of rotation at once (never its last); each
 * finishes the requests and streams it holds, then stops.
 */
export async function shrinkPool(launcher: PoolLauncher, pool: InstancePool, count: number): Promise<void> {
  const served = launcher.served.get(pool.plan.deploymentId);
  if (!served) return;
  const leaving = pool.release(count).map((instance) => ({ instance, plan: pool.plan }));
  await Promise.all(
    leaving.map(async (entry) => {
      served.retiring.add(entry);
      while (entry.instance.outstanding > 0) await new Promise((r) => setTimeout(r, 20));
      await entry.instance.host.stop();
      served.retiring.delete(entry);
    }),
  );
  launcher.memoryReleased.notify();
}

/**
 * Stops every pool of an idle deployment (autoscaling to zero); it stays served, unloaded, and
 * its next requests are held while it starts again. Refused (false) when it is not idle or is
 * in a rollout.
 */
export async function scaleToZero(launcher: PoolLauncher, deploymentId: string): Promise<boolean> {
  const served = launcher.served.get(deploymentId);
  if (!served || served.rollout || served.unloaded || served.loading || !isIdle(served)) return false;
  const pools = [...served.pools.values()];
  served.pools.clear();
  served.unloaded = true;
  launcher.log.info({ deployment: served.name }, 'scaled to zero after its idle period');
  await Promise.all(pools.map((p) => p.stop()));
  launcher.memoryReleased.notify();
  return true;
}

/** Every served deployment's id, load state and pools, for the autoscaler. */
export function scalableDeployments(launcher: PoolLauncher): ScalableDeployment[] {
  return [...launcher.served.values()].map((s) => ({
    deploymentId: s.deploymentId,
    unloaded: s.unloaded,
    inRollout: s.rollout !== undefined,
    idleSince: isIdle(s) ? s.lastUsedAt : Date.now(),
    pools: [...s.pools.values()],
  }));
}
