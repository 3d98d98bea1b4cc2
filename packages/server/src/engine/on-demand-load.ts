import { AppError, isAppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import type { MemoryRelease } from './memory-release.js';
import type { ServedDeployment } from './served-deployment.js';
import { planSlot, type ServingPlan } from './serving-plan.js';

/** How often an on-demand load waiting for memory looks again whether a request still wants it. */
const MEMORY_RECHECK_MS = 250;

export interface LoadDeps {
  log: Logger;
  memoryReleased: MemoryRelease;
  /** The engine is closing: nothing waits for memory any more. */
  closing(): boolean;
  /** Starts one variant's pool, unloading idle deployments to fit. */
  startPool(plan: ServingPlan): Promise<void>;
  /** Told of each load that brought the deployment back, and how long its requests were held. */
  coldStarted(name: string, ms: number): void;
}

/**
 * Loads an unloaded deployment again, once for every request that waits for it (they share
 * `served.loading`). A failure that is not already catalogued answers 503 `runner_failed`.
 */
export function loadOnDemand(served: ServedDeployment, deps: LoadDeps): Promise<void> {
  if (!served.loading) {
    deps.log.info({ deployment: served.name }, 'loading unloaded deployment on demand');
    const startedAt = performance.now();
    served.loading = loadWhenRoom(served, deps)
      .then(() => deps.coldStarted(served.name, performance.now() - startedAt))
      .catch((err: unknown) => {
        if (isAppError(err)) throw err;
        throw new AppError('runner_failed', `The model could not be loaded: ${(err as Error).message}`, {
          cause: err,
          retryAfterS: 1,
        });
      })
      .finally(() => {
        served.loading = undefined;
        served.memoryRefusal = undefined;
      });
  }
  return served.loading;
}

/**
 * Starts the variants of an unloaded deployment for the requests waiting on it. While busy
 * instances hold the memory it needs, it waits for one to become idle (or stop) and tries again,
 * for as long as a request still waits: requests queue for memory instead of failing at once.
 */
async function loadWhenRoom(served: ServedDeployment, deps: LoadDeps): Promise<void> {
  for (const plan of served.plans.values()) {
    while (!served.pools.has(planSlot(plan))) {
      try {
        await deps.startPool(plan);
      } catch (err) {
        const waitable = isAppError(err) && err.code === 'memory_budget_busy';
        if (!waitable || served.waiting === 0 || deps.closing()) throw err;
        served.memoryRefusal = err;
        await deps.memoryReleased.next(MEMORY_RECHECK_MS);
      }
    }
  }
}
