import { AppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import { InstancePool } from './instance-pool.js';
import type { MemoryRelease } from './memory-release.js';
import { admissionVictims, usedBytes } from './pool-admission.js';
import type { RunnerHostFactory } from './runner-host.js';
import type { RunnerTiming } from './runner-timing.js';
import { drain, newServedDeployment, type ServedDeployment as Served } from './served-deployment.js';
import { planSlot, type ServingPlan } from './serving-plan.js';

export interface LaunchSettings {
  readonly log: Logger;
  readonly hosts: RunnerHostFactory;
  readonly timing: RunnerTiming;
  readonly memoryBudgetBytes: number;
  readonly memoryReleased: MemoryRelease;
  /** Told of each deployment unloaded to fit the budget. */
  evicted(name: string): void;
}

/**
 * Starts pools of runner instances within the memory budget (unloading idle deployments when
 * allowed) and gives them their variant's traffic. It works on the engine's own state: what is
 * served and what is starting.
 */
export class PoolLauncher {
  readonly log: Logger;
  readonly memoryReleased: MemoryRelease;
  readonly memoryBudgetBytes: number;

  constructor(
    readonly served: Map<string, Served>,
    private readonly starting: Set<InstancePool>,
    private readonly settings: LaunchSettings,
  ) {
    this.log = settings.log;
    this.memoryReleased = settings.memoryReleased;
    this.memoryBudgetBytes = settings.memoryBudgetBytes;
  }

  /** Memory of every running, draining or starting instance. */
  usedBytes(): number {
    return usedBytes(this.served, this.starting);
  }

  /** Starts one variant's pool and gives it traffic (the pool it replaces drains). */
  async startPool(plan: ServingPlan, evict: boolean): Promise<void> {
    const isNew = !this.served.has(plan.deploymentId);
    const served = this.entry(plan);
    let pool: InstancePool;
    try {
      pool = await this.launch(plan, evict);
    } catch (err) {
      if (isNew && served.pools.size === 0 && !served.unloaded) this.served.delete(plan.deploymentId);
      throw err;
    }
    await this.installable(served, [pool]);
    this.install(served, pool);
  }

  /** Starts a plan's instances within the budget, without giving them traffic yet. */
  async launch(plan: ServingPlan, evict: boolean, replaces = true): Promise<InstancePool> {
    const pool = new InstancePool(plan, this.log, this.settings.hosts, this.settings.timing);
    const victims = this.admit(pool, evict, replaces);
    this.starting.add(pool);
    try {
      await Promise.all(victims.map((p) => p.stop()));
      await pool.start();
    } catch (err) {
      this.memoryReleased.notify();
      throw err;
    } finally {
      this.starting.delete(pool);
    }
    return pool;
  }

  /** Throws (stopping `pools`) when the deployment was deleted while they started. */
  async installable(served: Served, pools: InstancePool[]): Promise<void> {
    const first = pools[0];
    if (!first || this.served.get(first.plan.deploymentId) === served) return;
    await Promise.all(pools.map((p) => p.stop(0)));
    throw new AppError('deployment_not_found', `Deployment '${first.plan.name}' was deleted meanwhile.`);
  }

  /** Gives a started pool its variant's traffic; the pool it replaces drains. */
  install(served: Served, pool: InstancePool): void {
    const { plan } = pool;
    const slot = planSlot(plan);
    const previous = served.pools.get(slot);
    served.plans.set(slot, plan);
    served.pools.set(slot, pool);
    Object.assign(served, { unloaded: false, lastUsedAt: Date.now() });
    if (previous) this.drain(served, previous);
  }

  /** Lets a pool out of service finish its requests, then stops it and frees its memory. */
  drain(served: Served, pool: InstancePool): void {
    void drain(served, pool).then(() => this.memoryReleased.notify());
  }

  /** What the engine holds for a plan's deployment, added when it has nothing yet. */
  entry(plan: ServingPlan): Served {
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
  private admit(pool: InstancePool, evict: boolean, replaces: boolean): InstancePool[] {
    const victims = admissionVictims(
      this.served,
      this.starting,
      pool,
      this.memoryBudgetBytes,
      evict,
      replaces,
    );
    const pools: InstancePool[] = [];
    for (const victim of victims) {
      pools.push(...victim.pools.values());
      victim.pools.clear();
      victim.unloaded = true;
      this.log.info({ deployment: victim.name }, 'unloading idle deployment to fit the memory budget');
      this.settings.evicted(victim.name);
    }
    return pools;
  }
}
