import type { DeploymentSettings } from '@modelport/contracts';
import type { Principal } from '../auth/index.js';
import type { DeploymentService } from '../deploy/index.js';
import type { Engine, InstancePool } from '../engine/index.js';
import { AppError } from '../platform/errors/index.js';

/**
 * What can be refused before an infer request's body is read: an unknown deployment (404), and one
 * whose every pool is full (503 `queue_full`), so a flood of requests past capacity costs almost no
 * CPU. Conservative: a pool counts as full only past its instances' queues plus a batch each, and
 * a deployment with fallbacks, or not loaded, is left to the request path (it holds or fails over).
 */
export async function admitEarly(
  deployments: DeploymentService,
  engine: Engine,
  principal: Principal,
  name: string,
): Promise<void> {
  const row = await deployments.requireServed(principal, name);
  if (hasFallbacks(row)) return;
  const pools = engine.pools(row.id).filter((p) => !p.plan.shadow);
  if (pools.length === 0 || !pools.every(isFull)) return;
  throw new AppError('queue_full', `Deployment '${name}' has no room for another request now.`, {
    retryAfterS: 1,
  });
}

/** Rows found again (a cached find) are the same object: their spec is read once, not per request. */
const fallbacksOf = new WeakMap<object, boolean>();

function hasFallbacks(row: { spec: string }): boolean {
  let has = fallbacksOf.get(row);
  if (has === undefined) {
    has = ((JSON.parse(row.spec) as DeploymentSettings).fallbacks?.length ?? 0) > 0;
    fallbacksOf.set(row, has);
  }
  return has;
}

function isFull(pool: InstancePool): boolean {
  const ready = pool.instances.filter((i) => i.host.state === 'ready').length;
  if (ready === 0) return false;
  const { maxQueueSize, batching } = pool.plan.settings;
  return pool.outstanding >= ready * (maxQueueSize + batching.maxBatchSize);
}
