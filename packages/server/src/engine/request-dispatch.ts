import { AppError } from '../platform/errors/index.js';
import { choosePool, type RoutingHints } from './choose-pool.js';
import type { InstancePool, PoolInstance } from './instance-pool.js';
import { withLoadDeadline } from './load-deadline.js';
import { type LoadDeps, loadOnDemand } from './on-demand-load.js';
import type { PoolOutcome } from './pool-outcome.js';
import type { RunnerConnection } from './runner-host.js';
import { type ServedDeployment as Served, servedOrThrow } from './served-deployment.js';
import { planSlot } from './serving-plan.js';

/**
 * Takes a request to a runner: the pool it goes to (loading an unloaded deployment first), then
 * that pool's least busy ready instance, counted as outstanding until the request settles; tells
 * the outcome listeners how it went.
 */
export class RequestDispatch {
  private readonly outcomeListeners: ((outcome: PoolOutcome) => void)[] = [];

  constructor(
    private readonly served: ReadonlyMap<string, Served>,
    private readonly loadDeps: LoadDeps,
  ) {}

  /** Called with every request a pool served or failed. */
  onOutcome(listener: (outcome: PoolOutcome) => void): void {
    this.outcomeListeners.push(listener);
  }

  /**
   * The pool a request with `hints` goes to, loading the deployment first when it was unloaded (a
   * cold start that concurrent requests share). Waits at most `waitMs` (default: the deployment's
   * timeout), which includes waiting for busy instances to release the memory the load needs; past
   * it, the answer is 503 `memory_budget_busy` if memory is what it still waits for.
   */
  async loaded(deploymentId: string, hints: RoutingHints = {}, waitMs?: number): Promise<InstancePool> {
    const served = servedOrThrow(this.served, deploymentId);
    const active = choosePool(served.pools, hints, served.split, served.rollout);
    if (active) return active;
    if (served.unloaded) {
      const plan = choosePool(served.plans, hints, served.split, served.rollout);
      const held = plan?.settings.autoscaling?.maxHeldRequests;
      if (held !== undefined && served.waiting >= held)
        throw new AppError('queue_full', `${held} requests are already held while '${served.name}' starts.`, {
          retryAfterS: 1,
        });
      served.waiting++;
      try {
        const timeoutMs =
          choosePool(served.plans, hints, served.split, served.rollout)?.settings.timeoutMs ?? 0;
        const load = loadOnDemand(served, this.loadDeps);
        await withLoadDeadline(load, waitMs ?? timeoutMs, () => served.memoryRefusal, served.name);
      } finally {
        served.waiting--;
      }
    }
    const pool = choosePool(served.pools, hints, served.split, served.rollout);
    if (!pool) {
      throw new AppError('model_not_ready', `Deployment '${served.name}' is not running.`, {
        retryAfterS: 1,
      });
    }
    return pool;
  }

  /**
   * Runs `use` on the least busy ready instance of the pool a request chose, counted as outstanding
   * until it settles, so neither a swap's drain nor the budget stops it. When a swap or an unload
   * retired that pool meanwhile, the variant's pool serving now (loaded again if need be) takes it.
   */
  async using<T>(
    pool: InstancePool,
    waitMs: number | undefined,
    use: (connection: RunnerConnection) => Promise<T>,
    failed: (result: T) => unknown = () => undefined,
  ): Promise<T> {
    const { deploymentId, variant } = pool.plan;
    const served = servedOrThrow(this.served, deploymentId);
    served.waiting++;
    let instance: PoolInstance;
    let current: InstancePool;
    try {
      // The pool chosen at admission serves the request, even one replaced or rolled back since
      // (it drains its requests before stopping); only a pool already stopping sends it on: to the
      // variant's pool now, or where the split sends it when the new revision removed the variant.
      const slot = planSlot(pool.plan);
      const admitted = served.pools.get(slot) === pool || (served.draining.has(pool) && !pool.stopping);
      const hints = served.plans.has(slot) ? { variant, fleet: pool.plan.fleet ?? 'current' } : {};
      current = admitted ? pool : await this.loaded(deploymentId, hints, waitMs);
      instance = current.pick();
      instance.outstanding++;
    } finally {
      served.waiting--;
    }
    served.lastUsedAt = Date.now();
    const startedAt = performance.now();
    let error: unknown;
    try {
      const connection = instance.host.connection;
      if (!connection) throw new Error('picked runner has no connection');
      const result = await use(connection);
      error = failed(result);
      return result;
    } catch (err) {
      error = err;
      throw err;
    } finally {
      instance.outstanding--;
      if (instance.outstanding === 0) this.loadDeps.memoryReleased.notify();
      this.reportOutcome({ pool: current, ms: performance.now() - startedAt, error });
    }
  }

  private reportOutcome(outcome: PoolOutcome): void {
    for (const listener of this.outcomeListeners) {
      try {
        listener(outcome);
      } catch (err) {
        this.loadDeps.log.error({ err }, 'outcome listener failed');
      }
    }
  }
}
