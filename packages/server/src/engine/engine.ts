import type { DeploymentStatus } from '@modelport/contracts';
import { AppError, isAppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import { InstancePool, type ServingPlan } from './instance-pool.js';
import { withLoadDeadline } from './load-deadline.js';
import { MemoryRelease } from './memory-release.js';
import { admissionVictims, usedBytes } from './pool-admission.js';
import type { RunnerClient, RunnerReply } from './runner-client.js';
import type { RunnerProcess, RunnerTiming } from './runner-process.js';
import { newServedDeployment, type ServedDeployment as Served } from './served-deployment.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';
import { sendTensors, type TensorRequest } from './tensor-transport.js';

/** How often an on-demand load waiting for memory looks again whether a request still wants it. */
const MEMORY_RECHECK_MS = 250;

export interface EngineOptions {
  /** Memory every runner instance may hold together (`limits.memoryBudgetBytes`). */
  memoryBudgetBytes: number;
  timing?: RunnerTiming;
  /** Shared memory for tensor bytes to and from local runners; none means the socket only. */
  slots?: SharedMemorySlots | undefined;
}

/**
 * The supervisor side of serving: which pools of runner processes serve which deployment, the
 * zero-downtime swap (start the new version, wait until ready, move traffic, drain the old), and
 * the memory budget (unload least-recently-used idle deployments to fit, reload on demand).
 */
export class Engine {
  private readonly served = new Map<string, Served>();
  private readonly starting = new Set<InstancePool>();
  private readonly evictionListeners: ((plan: ServingPlan) => void)[] = [];
  private readonly memoryReleased = new MemoryRelease();
  private closed = false;
  readonly memoryBudgetBytes: number;

  constructor(
    private readonly log: Logger,
    private readonly options: EngineOptions,
  ) {
    this.memoryBudgetBytes = options.memoryBudgetBytes;
  }

  /**
   * Starts a plan's instances, unloading idle deployments first when the budget needs it; a
   * deployment already served keeps serving its old pool until the new one is ready.
   */
  async start(plan: ServingPlan): Promise<void> {
    await this.startPool(plan, true);
  }

  /**
   * At process start: starts the plan if it fits beside what already runs, else leaves it unloaded
   * (the first request loads it). Restoring never unloads another deployment.
   */
  async restore(plan: ServingPlan): Promise<void> {
    try {
      await this.startPool(plan, false);
    } catch (err) {
      const code = isAppError(err) ? err.code : undefined;
      if (code !== 'memory_budget_busy' && code !== 'memory_budget_exceeded') throw err;
      this.entry(plan).unloaded = true;
      this.log.info({ deployment: plan.name }, 'deployment left unloaded: over the memory budget');
    }
  }

  private async startPool(plan: ServingPlan, evict: boolean): Promise<InstancePool> {
    const isNew = !this.served.has(plan.deploymentId);
    const served = this.entry(plan);
    const pool = new InstancePool(plan, this.log, this.options.timing);
    const victims = this.admit(pool, evict);
    this.starting.add(pool);
    try {
      await Promise.all(victims.map((p) => p.stop()));
      await pool.start();
    } catch (err) {
      if (isNew && !served.active && !served.unloaded) this.served.delete(plan.deploymentId);
      this.starting.delete(pool);
      this.memoryReleased.notify();
      throw err;
    }
    this.starting.delete(pool);
    if (this.served.get(plan.deploymentId) !== served) {
      // Deleted while it started: nothing may serve it any more.
      await pool.stop(0);
      throw new AppError('deployment_not_found', `Deployment '${plan.name}' was deleted meanwhile.`);
    }
    const previous = served.active;
    Object.assign(served, { plan, active: pool, unloaded: false, lastUsedAt: Date.now() });
    if (previous) void this.drain(served, previous);
    return pool;
  }

  private entry(plan: ServingPlan): Served {
    let served = this.served.get(plan.deploymentId);
    if (!served) {
      served = newServedDeployment(plan);
      this.served.set(plan.deploymentId, served);
    }
    return served;
  }

  /**
   * Checks a pool about to start against the budget and takes out of service, at once, the idle
   * deployments it unloads (so no request picks them while they stop); returns their pools to stop.
   */
  private admit(pool: InstancePool, evict: boolean): InstancePool[] {
    const victims = admissionVictims(this.served, this.starting, pool, this.memoryBudgetBytes, evict);
    const pools: InstancePool[] = [];
    for (const victim of victims) {
      if (victim.active) pools.push(victim.active);
      Object.assign(victim, { active: undefined, unloaded: true });
      this.log.info({ deployment: victim.plan.name }, 'unloading idle deployment to fit the memory budget');
      for (const listener of this.evictionListeners) listener(victim.plan);
    }
    return pools;
  }

  /** Memory of every running or starting instance, but the active pool of `exceptDeploymentId`. */
  usedBytes(exceptDeploymentId?: string): number {
    return usedBytes(this.served, this.starting, exceptDeploymentId);
  }

  private async drain(served: Served, pool: InstancePool): Promise<void> {
    served.draining.add(pool);
    while (pool.outstanding > 0) await new Promise((r) => setTimeout(r, 20));
    await pool.stop();
    served.draining.delete(pool);
    this.memoryReleased.notify();
  }

  /** Called with each deployment unloaded to fit the budget (for metrics). */
  onEviction(listener: (plan: ServingPlan) => void): void {
    this.evictionListeners.push(listener);
  }

  /** Every pool taking traffic now, for metrics that ask the runners. */
  activePools(): InstancePool[] {
    return [...this.served.values()].flatMap((s) => (s.active ? [s.active] : []));
  }

  pool(deploymentId: string): InstancePool | undefined {
    return this.served.get(deploymentId)?.active;
  }

  /** The plan a deployment serves, or loads again when unloaded. */
  plan(deploymentId: string): ServingPlan | undefined {
    return this.served.get(deploymentId)?.plan;
  }

  status(deploymentId: string): DeploymentStatus {
    const served = this.served.get(deploymentId);
    if (served?.active?.ready) return 'ready';
    if (served?.loading || [...this.starting].some((p) => p.plan.deploymentId === deploymentId)) {
      return 'loading';
    }
    return served?.unloaded ? 'unloaded' : 'down';
  }

  /**
   * The deployment's active pool, loading it first when it was unloaded (a cold start that
   * concurrent requests share). Waits at most `waitMs` (default: the deployment's timeout), which
   * includes waiting for busy instances to release the memory the load needs; past it, the answer
   * is 503 `memory_budget_busy` if memory is what it still waits for.
   */
  async loaded(deploymentId: string, waitMs?: number): Promise<InstancePool> {
    const served = this.servedOrThrow(deploymentId);
    if (served.active) return served.active;
    if (!served.unloaded) {
      throw new AppError('model_not_ready', `Deployment '${served.plan.name}' is not running.`, {
        retryAfterS: 1,
      });
    }
    served.waiting++;
    try {
      return await withLoadDeadline(
        this.load(served),
        waitMs ?? served.plan.settings.timeoutMs,
        () => served.memoryRefusal,
        served.plan.name,
      );
    } finally {
      served.waiting--;
    }
  }

  private servedOrThrow(deploymentId: string): Served {
    const served = this.served.get(deploymentId);
    if (!served) throw new AppError('model_not_ready', 'The deployment is not running.', { retryAfterS: 1 });
    return served;
  }

  private load(served: Served): Promise<InstancePool> {
    if (!served.loading) {
      this.log.info({ deployment: served.plan.name }, 'loading unloaded deployment on demand');
      served.loading = this.loadWhenRoom(served)
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
   * Starts an unloaded deployment for the requests waiting on it. While busy instances hold the
   * memory it needs, it waits for one to become idle (or stop) and tries again, for as long as a
   * request still waits: requests queue for memory instead of failing at once.
   */
  private async loadWhenRoom(served: Served): Promise<InstancePool> {
    for (;;) {
      try {
        return await this.startPool(served.plan, true);
      } catch (err) {
        const waitable = isAppError(err) && err.code === 'memory_budget_busy';
        if (!waitable || served.waiting === 0 || this.closed) throw err;
        served.memoryRefusal = err;
        await this.memoryReleased.next(MEMORY_RECHECK_MS);
      }
    }
  }

  /**
   * Picks the least busy ready instance (loading the deployment if it was unloaded) and counts
   * it as outstanding until `use` settles, so neither a swap's drain nor the budget stops it.
   */
  private async using<T>(
    deploymentId: string,
    waitMs: number | undefined,
    use: (runner: RunnerProcess) => Promise<T>,
  ): Promise<T> {
    const served = this.servedOrThrow(deploymentId);
    served.waiting++;
    let runner: RunnerProcess;
    try {
      runner = (await this.loaded(deploymentId, waitMs)).pick();
      runner.outstanding++;
    } finally {
      served.waiting--;
    }
    served.lastUsedAt = Date.now();
    try {
      return await use(runner);
    } finally {
      runner.outstanding--;
      if (runner.outstanding === 0) this.memoryReleased.notify();
    }
  }

  /** Sends one encoded request to the least busy ready instance. */
  forward(deploymentId: string, path: string, options: TensorRequest): Promise<RunnerReply> {
    return this.using(deploymentId, options.timeoutMs, (runner) => {
      const client = runner.client;
      if (!client) throw new Error('picked runner has no client');
      return sendTensors(client, this.options.slots, path, options);
    });
  }

  /** Tensor bytes moved through shared memory so far; undefined when it is off. */
  get sharedMemoryBytes(): Readonly<{ toRunners: number; fromRunners: number }> | undefined {
    return this.options.slots?.bytes;
  }

  /** Runs `use` against the least busy ready instance, counted as outstanding until it settles. */
  withRunner<T>(deploymentId: string, use: (client: RunnerClient) => Promise<T>): Promise<T> {
    return this.using(deploymentId, undefined, (runner) => {
      if (!runner.client) throw new Error('picked runner has no client');
      return use(runner.client);
    });
  }

  async stop(deploymentId: string): Promise<void> {
    const served = this.served.get(deploymentId);
    if (!served) return;
    this.served.delete(deploymentId);
    const pools = [...(served.active ? [served.active] : []), ...served.draining];
    await Promise.all(pools.map((p) => p.stop()));
    this.memoryReleased.notify();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.memoryReleased.notify();
    await Promise.all([...this.served.keys()].map((id) => this.stop(id)));
    this.options.slots?.close();
  }
}
