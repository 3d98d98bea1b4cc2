import { AppError, isAppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import { Autoscaler } from './autoscaler.js';
import { choosePool, type RoutingHints } from './choose-pool.js';
import { EngineView } from './engine-view.js';
import { InstancePool, type PoolInstance } from './instance-pool.js';
import { withLoadDeadline } from './load-deadline.js';
import { MemoryRelease } from './memory-release.js';
import { type LoadDeps, loadOnDemand } from './on-demand-load.js';
import { admissionVictims } from './pool-admission.js';
import type { PoolOutcome } from './pool-outcome.js';
import type { RunnerConnection, RunnerHostFactory, RunnerReply, TensorRequest } from './runner-host.js';
import { localRunnerHosts } from './runner-hosts.js';
import { defaultRunnerTiming, type RunnerTiming } from './runner-timing.js';
import {
  drain,
  isIdle,
  needsNewPool,
  newServedDeployment,
  retagKept,
  retireRemoved,
  type ServedDeployment as Served,
} from './served-deployment.js';
import { planSlot, type ServingPlan } from './serving-plan.js';
import { tensorMirror } from './shadow-tensors.js';
import { type Mirror, type ShadowEvent, ShadowTraffic } from './shadow-traffic.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';
import type { TrafficSplit } from './traffic-split.js';

export interface EngineOptions {
  /** Memory every runner instance may hold together (`limits.memoryBudgetBytes`). */
  memoryBudgetBytes: number;
  timing?: RunnerTiming;
  /** Shared memory for tensor bytes to and from local runners; none means the socket only. */
  slots?: SharedMemorySlots | undefined;
  /** Where instances run; default: child processes of this process (using `slots`). */
  hosts?: RunnerHostFactory;
}

/**
 * The supervisor side of serving: which pools of runner instances serve which deployment (one per
 * variant), the zero-downtime swap (start the new version, wait until ready, move traffic, drain
 * the old), and the memory budget (unload least-recently-used idle deployments to fit, reload on
 * demand). Queries about what is served live in `EngineView` (engine-view.ts).
 */
export class Engine extends EngineView {
  private readonly evictionListeners: ((name: string) => void)[] = [];
  private readonly outcomeListeners: ((outcome: PoolOutcome) => void)[] = [];
  private readonly coldStartListeners: ((name: string, ms: number) => void)[] = [];
  private readonly memoryReleased = new MemoryRelease();
  private readonly shadowTraffic: ShadowTraffic;
  private readonly hosts: RunnerHostFactory;
  private closed = false;
  private readonly loadDeps: LoadDeps;
  readonly memoryBudgetBytes: number;
  /** Sizes autoscaled pools with their load; started by the server once deployments are restored. */
  readonly autoscaler: Autoscaler;

  constructor(
    private readonly log: Logger,
    private readonly options: EngineOptions,
  ) {
    super();
    this.memoryBudgetBytes = options.memoryBudgetBytes;
    this.hosts = options.hosts ?? localRunnerHosts(options.slots);
    this.autoscaler = new Autoscaler(this, log);
    this.shadowTraffic = new ShadowTraffic(log, () => this.memoryReleased.notify());
    this.loadDeps = {
      log,
      memoryReleased: this.memoryReleased,
      closing: () => this.closed,
      startPool: (plan) => this.startPool(plan, true),
      coldStarted: (name, ms) => {
        for (const listener of this.coldStartListeners) listener(name, ms);
      },
    };
  }

  /**
   * Starts a plan's instances, unloading idle deployments first when the budget needs it; a
   * variant already served keeps serving its old pool until the new one is ready.
   */
  async start(plan: ServingPlan): Promise<void> {
    await this.startPool(plan, true);
  }

  /**
   * At process start: starts a revision's plans if they fit beside what already runs, else leaves
   * the deployment unloaded (the first request loads it). Restoring never unloads another deployment.
   */
  async restore(plans: readonly ServingPlan[], split?: TrafficSplit): Promise<void> {
    for (const plan of plans) {
      try {
        await this.startPool(plan, false);
      } catch (err) {
        const code = isAppError(err) ? err.code : undefined;
        if (code !== 'memory_budget_busy' && code !== 'memory_budget_exceeded') throw err;
        this.entry(plan).unloaded = true;
        this.log.info({ deployment: plan.name }, 'deployment left unloaded: over the memory budget');
      }
    }
    const [first] = plans;
    if (!first) return;
    const served = this.entry(first);
    retireRemoved(served, plans);
    served.split = split;
  }

  /**
   * Serves a deployment's revision: starts the pools of its new or changed variants (all ready, or
   * none kept), then at once moves traffic to them and to the new split; replaced and removed
   * pools drain, then stop. An unloaded deployment starts every variant, and `restart` names
   * variants that get new pools even when unchanged.
   */
  async deploy(plans: readonly ServingPlan[], split: TrafficSplit, restart: string[] = []): Promise<void> {
    const [first] = plans;
    if (!first) throw new Error('a revision has at least one variant');
    const isNew = !this.served.has(first.deploymentId);
    const served = this.entry(first);
    const changed = plans.filter((p) => needsNewPool(served, p, restart));
    const started = await Promise.allSettled(changed.map((p) => this.launch(p, true)));
    const pools = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all(pools.map((p) => p.stop(0)));
      if (isNew && served.pools.size === 0) this.served.delete(first.deploymentId);
      throw failed.reason;
    }
    await this.installable(served, pools);
    for (const pool of retireRemoved(served, plans))
      void drain(served, pool).then(() => this.memoryReleased.notify());
    for (const pool of pools) this.install(served, pool);
    retagKept(served, plans, changed);
    served.split = split;
  }

  /**
   * Starts the next revision's fleet beside the current one without traffic (a rollout's
   * provisioning): every pool ready, or none kept. Both fleets stay loaded until `promote` or
   * `rollBack`; `shift` moves the traffic.
   */
  async stage(plans: readonly ServingPlan[], split: TrafficSplit): Promise<void> {
    const [first] = plans;
    if (!first) throw new Error('a revision has at least one variant');
    const served = this.servedOrThrow(first.deploymentId);
    if (served.rollout) throw new Error(`deployment '${served.name}' already has a next fleet`);
    const next = plans.map((p) => ({ ...p, fleet: 'next' as const }));
    // Pinned from the start, so no load of another deployment unloads the current fleet meanwhile.
    served.rollout = { split, percent: 0 };
    const started = await Promise.allSettled(next.map((p) => this.launch(p, true)));
    const pools = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed || this.served.get(first.deploymentId) !== served) {
      await Promise.all(pools.map((p) => p.stop(0)));
      served.rollout = undefined;
      this.memoryReleased.notify();
      if (failed) throw failed.reason;
      throw new AppError('deployment_not_found', `Deployment '${served.name}' was deleted meanwhile.`);
    }
    for (const pool of pools) {
      served.plans.set(planSlot(pool.plan), pool.plan);
      served.pools.set(planSlot(pool.plan), pool);
    }
  }

  /** Gives the next fleet `percent` of the traffic (sessions move onto it only, never back). */
  shift(deploymentId: string, percent: number): void {
    const served = this.servedOrThrow(deploymentId);
    if (!served.rollout) throw new Error(`deployment '${served.name}' has no next fleet`);
    served.rollout = { ...served.rollout, percent };
  }

  /** The next fleet becomes the current one (its pools keep running); the old fleet drains, then stops. */
  promote(deploymentId: string): void {
    const served = this.servedOrThrow(deploymentId);
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
    for (const pool of old) void drain(served, pool).then(() => this.memoryReleased.notify());
  }

  /** Takes the next fleet out of service at once (its requests and streams finish, then it stops). */
  rollBack(deploymentId: string): void {
    const served = this.served.get(deploymentId);
    if (!served?.rollout) return;
    served.rollout = undefined;
    for (const [slot, pool] of served.pools) {
      if (pool.plan.fleet !== 'next' || slot !== planSlot(pool.plan)) continue;
      served.pools.delete(slot);
      served.plans.delete(slot);
      void drain(served, pool).then(() => this.memoryReleased.notify());
    }
  }

  /**
   * Whether the next fleet of `plans` fits the memory budget beside everything loaded now, once
   * the idle deployments it may unload are unloaded (a blue/green rollout holds both fleets).
   */
  fitsBeside(plans: readonly ServingPlan[]): boolean {
    const need = plans.reduce((n, p) => n + p.instanceBytes * p.settings.instances, 0);
    let evictable = 0;
    for (const s of this.served.values()) {
      if (s.deploymentId === plans[0]?.deploymentId || s.rollout || !isIdle(s)) continue;
      for (const pool of s.pools.values()) evictable += pool.memoryBytes;
    }
    return this.usedBytes() - evictable + need <= this.memoryBudgetBytes;
  }

  /**
   * Adds `count` instances to a pool taking traffic, within the memory budget (unloading idle
   * deployments as any start does; the budget's refusal is thrown). They take requests once ready.
   */
  async grow(pool: InstancePool, count: number): Promise<void> {
    const plan = { ...pool.plan, settings: { ...pool.plan.settings, instances: count } };
    const grown = await this.launch(plan, true, false);
    const served = this.served.get(pool.plan.deploymentId);
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
  async shrink(pool: InstancePool, count: number): Promise<void> {
    const served = this.served.get(pool.plan.deploymentId);
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
    this.memoryReleased.notify();
  }

  /**
   * Stops every pool of an idle deployment (autoscaling to zero); it stays served, unloaded, and
   * its next requests are held while it starts again. Refused (false) when it is not idle or is
   * in a rollout.
   */
  async scaleToZero(deploymentId: string): Promise<boolean> {
    const served = this.served.get(deploymentId);
    if (!served || served.rollout || served.unloaded || served.loading || !isIdle(served)) return false;
    const pools = [...served.pools.values()];
    served.pools.clear();
    served.unloaded = true;
    this.log.info({ deployment: served.name }, 'scaled to zero after its idle period');
    await Promise.all(pools.map((p) => p.stop()));
    this.memoryReleased.notify();
    return true;
  }

  /** Every served deployment's id, plans and pools, for the autoscaler. */
  scalable() {
    return [...this.served.values()].map((s) => ({
      deploymentId: s.deploymentId,
      unloaded: s.unloaded,
      inRollout: s.rollout !== undefined,
      idleSince: isIdle(s) ? s.lastUsedAt : Date.now(),
      pools: [...s.pools.values()],
    }));
  }

  private async startPool(plan: ServingPlan, evict: boolean): Promise<void> {
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
  private async launch(plan: ServingPlan, evict: boolean, replaces = true): Promise<InstancePool> {
    const pool = new InstancePool(plan, this.log, this.hosts, this.options.timing ?? defaultRunnerTiming);
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
  private async installable(served: Served, pools: InstancePool[]): Promise<void> {
    const first = pools[0];
    if (!first || this.served.get(first.plan.deploymentId) === served) return;
    await Promise.all(pools.map((p) => p.stop(0)));
    throw new AppError('deployment_not_found', `Deployment '${first.plan.name}' was deleted meanwhile.`);
  }

  /** Gives a started pool its variant's traffic; the pool it replaces drains. */
  private install(served: Served, pool: InstancePool): void {
    const { plan } = pool;
    const slot = planSlot(plan);
    const previous = served.pools.get(slot);
    served.plans.set(slot, plan);
    served.pools.set(slot, pool);
    Object.assign(served, { unloaded: false, lastUsedAt: Date.now() });
    if (previous) void drain(served, previous).then(() => this.memoryReleased.notify());
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
  private admit(pool: InstancePool, evict: boolean, replaces = true): InstancePool[] {
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
      for (const listener of this.evictionListeners) listener(victim.name);
    }
    return pools;
  }

  /** Called with each deployment loaded again for its requests, and how long the first waited (ms). */
  onColdStart(listener: (name: string, ms: number) => void): void {
    this.coldStartListeners.push(listener);
  }

  /** Called with every request a pool served or failed (rollout guardrails measure these). */
  onOutcome(listener: (outcome: PoolOutcome) => void): void {
    this.outcomeListeners.push(listener);
  }

  /** Called with the name of each deployment unloaded to fit the budget (for metrics). */
  onEviction(listener: (name: string) => void): void {
    this.evictionListeners.push(listener);
  }

  /**
   * The pool a request with `hints` goes to, loading the deployment first when it was unloaded (a
   * cold start that concurrent requests share). Waits at most `waitMs` (default: the deployment's
   * timeout), which includes waiting for busy instances to release the memory the load needs; past
   * it, the answer is 503 `memory_budget_busy` if memory is what it still waits for.
   */
  async loaded(deploymentId: string, hints: RoutingHints = {}, waitMs?: number): Promise<InstancePool> {
    const served = this.servedOrThrow(deploymentId);
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

  private servedOrThrow(deploymentId: string): Served {
    const served = this.served.get(deploymentId);
    if (!served) throw new AppError('model_not_ready', 'The deployment is not running.', { retryAfterS: 1 });
    return served;
  }

  /**
   * Runs `use` on the least busy ready instance of the pool a request chose, counted as outstanding
   * until it settles, so neither a swap's drain nor the budget stops it. When a swap or an unload
   * retired that pool meanwhile, the variant's pool serving now (loaded again if need be) takes it.
   */
  private async using<T>(
    pool: InstancePool,
    waitMs: number | undefined,
    use: (connection: RunnerConnection) => Promise<T>,
    failed: (result: T) => unknown = () => undefined,
  ): Promise<T> {
    const { deploymentId, variant } = pool.plan;
    const served = this.servedOrThrow(deploymentId);
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
      if (instance.outstanding === 0) this.memoryReleased.notify();
      this.reportOutcome({ pool: current, ms: performance.now() - startedAt, error });
    }
  }

  private reportOutcome(outcome: PoolOutcome): void {
    for (const listener of this.outcomeListeners) {
      try {
        listener(outcome);
      } catch (err) {
        this.log.error({ err }, 'outcome listener failed');
      }
    }
  }

  /**
   * Sends one encoded request to the least busy ready instance of `pool`; a production pool's
   * shadows get a sampled copy (see shadow-traffic.ts).
   */
  forward(pool: InstancePool, path: string, request: TensorRequest): Promise<RunnerReply> {
    const reply = this.using(
      pool,
      request.timeoutMs,
      (connection) => connection.sendTensors(path, request),
      // A runner's 5xx answer is a failure of the pool, as a thrown one is.
      (reply) =>
        reply.status >= 500 ? new AppError('internal_error', `runner answered ${reply.status}`) : undefined,
    );
    this.mirror(pool, reply, tensorMirror(path, request));
    return reply;
  }

  /**
   * Runs `use` against the least busy ready instance of `pool`, counted as outstanding until it
   * settles. With `mirror`, a production pool's shadows get a sampled copy sent that way.
   */
  withRunner<T>(
    pool: InstancePool,
    use: (connection: RunnerConnection) => Promise<T>,
    options: { mirror?: Mirror<T>; failed?: (result: T) => unknown } = {},
  ): Promise<T> {
    const result = this.using(pool, undefined, use, options.failed);
    if (options.mirror) this.mirror(pool, result, options.mirror);
    return result;
  }

  /** Copies a request of the current fleet's production pool to the shadows of that fleet. */
  private mirror<T>(pool: InstancePool, production: Promise<T>, mirror: Mirror<T>): void {
    if (pool.plan.shadow || pool.plan.fleet === 'next') return;
    const shadows = this.shadowPools(pool.plan.deploymentId);
    if (shadows.length > 0) this.shadowTraffic.mirror(shadows, production, mirror);
  }

  /** Called with what became of every copy sent to a shadow (its report and metrics). */
  onShadowEvent(listener: (event: ShadowEvent) => void): void {
    this.shadowTraffic.onEvent(listener);
  }

  /** Tensor bytes moved through shared memory so far; undefined when it is off. */
  get sharedMemoryBytes(): Readonly<{ toRunners: number; fromRunners: number }> | undefined {
    return this.options.slots?.bytes;
  }

  async stop(deploymentId: string): Promise<void> {
    const served = this.served.get(deploymentId);
    if (!served) return;
    this.served.delete(deploymentId);
    await Promise.all([...served.pools.values(), ...served.draining].map((p) => p.stop()));
    this.memoryReleased.notify();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.autoscaler.stop();
    this.memoryReleased.notify();
    await Promise.all([...this.served.keys()].map((id) => this.stop(id)));
    this.options.slots?.close();
  }
}
