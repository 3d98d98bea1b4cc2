import { AppError, isAppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import { Autoscaler } from './autoscaler.js';
import type { RoutingHints } from './choose-pool.js';
import { EngineView } from './engine-view.js';
import type { InstancePool } from './instance-pool.js';
import { MemoryRelease } from './memory-release.js';
import {
  nextFleetFits,
  promoteNextFleet,
  rollBackNextFleet,
  shiftToNextFleet,
  stageNextFleet,
} from './next-fleet.js';
import { PoolLauncher } from './pool-launcher.js';
import type { PoolOutcome } from './pool-outcome.js';
import {
  growPool,
  type ScalableDeployment,
  scalableDeployments,
  scaleToZero,
  shrinkPool,
} from './pool-scaling.js';
import { RequestDispatch } from './request-dispatch.js';
import type { RunnerConnection, RunnerHostFactory, RunnerReply, TensorRequest } from './runner-host.js';
import { localRunnerHosts } from './runner-hosts.js';
import { defaultRunnerTiming, type RunnerTiming } from './runner-timing.js';
import { needsNewPool, retagKept, retireRemoved } from './served-deployment.js';
import type { ServingPlan } from './serving-plan.js';
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
 * demand). Its parts: queries in `EngineView` (engine-view.ts), starts within the budget in
 * `PoolLauncher` (pool-launcher.ts), a rollout's next fleet (next-fleet.ts), autoscaling
 * (pool-scaling.ts) and the way of a request to a runner in `RequestDispatch` (request-dispatch.ts).
 */
export class Engine extends EngineView {
  private readonly evictionListeners: ((name: string) => void)[] = [];
  private readonly coldStartListeners: ((name: string, ms: number) => void)[] = [];
  private readonly memoryReleased = new MemoryRelease();
  private readonly shadowTraffic: ShadowTraffic;
  private readonly launcher: PoolLauncher;
  private readonly dispatch: RequestDispatch;
  private closed = false;
  readonly memoryBudgetBytes: number;
  /** Sizes autoscaled pools with their load; started by the server once deployments are restored. */
  readonly autoscaler: Autoscaler;

  constructor(
    private readonly log: Logger,
    private readonly options: EngineOptions,
  ) {
    super();
    this.memoryBudgetBytes = options.memoryBudgetBytes;
    this.launcher = new PoolLauncher(this.served, this.starting, {
      log,
      hosts: options.hosts ?? localRunnerHosts(options.slots),
      timing: options.timing ?? defaultRunnerTiming,
      memoryBudgetBytes: options.memoryBudgetBytes,
      memoryReleased: this.memoryReleased,
      evicted: (name) => {
        for (const listener of this.evictionListeners) listener(name);
      },
    });
    this.dispatch = new RequestDispatch(this.served, {
      log,
      memoryReleased: this.memoryReleased,
      closing: () => this.closed,
      startPool: (plan) => this.launcher.startPool(plan, true),
      coldStarted: (name, ms) => {
        for (const listener of this.coldStartListeners) listener(name, ms);
      },
    });
    this.autoscaler = new Autoscaler(this, log);
    this.shadowTraffic = new ShadowTraffic(log, () => this.memoryReleased.notify());
  }

  /**
   * Starts a plan's instances, unloading idle deployments first when the budget needs it; a
   * variant already served keeps serving its old pool until the new one is ready.
   */
  async start(plan: ServingPlan): Promise<void> {
    await this.launcher.startPool(plan, true);
  }

  /**
   * At process start: starts a revision's plans if they fit beside what already runs, else leaves
   * the deployment unloaded (the first request loads it). Restoring never unloads another deployment.
   */
  async restore(plans: readonly ServingPlan[], split?: TrafficSplit): Promise<void> {
    for (const plan of plans) {
      try {
        await this.launcher.startPool(plan, false);
      } catch (err) {
        const code = isAppError(err) ? err.code : undefined;
        if (code !== 'memory_budget_busy' && code !== 'memory_budget_exceeded') throw err;
        this.launcher.entry(plan).unloaded = true;
        this.log.info({ deployment: plan.name }, 'deployment left unloaded: over the memory budget');
      }
    }
    const [first] = plans;
    if (!first) return;
    const served = this.launcher.entry(first);
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
    const served = this.launcher.entry(first);
    const changed = plans.filter((p) => needsNewPool(served, p, restart));
    const started = await Promise.allSettled(changed.map((p) => this.launcher.launch(p, true)));
    const pools = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all(pools.map((p) => p.stop(0)));
      if (isNew && served.pools.size === 0) this.served.delete(first.deploymentId);
      throw failed.reason;
    }
    await this.launcher.installable(served, pools);
    for (const pool of retireRemoved(served, plans)) this.launcher.drain(served, pool);
    for (const pool of pools) this.launcher.install(served, pool);
    retagKept(served, plans, changed);
    served.split = split;
  }

  /**
   * Starts the next revision's fleet beside the current one without traffic (a rollout's
   * provisioning): every pool ready, or none kept. Both fleets stay loaded until `promote` or
   * `rollBack`; `shift` moves the traffic.
   */
  stage(plans: readonly ServingPlan[], split: TrafficSplit): Promise<void> {
    return stageNextFleet(this.launcher, plans, split);
  }

  /** Gives the next fleet `percent` of the traffic (sessions move onto it only, never back). */
  shift(deploymentId: string, percent: number): void {
    shiftToNextFleet(this.launcher, deploymentId, percent);
  }

  /** The next fleet becomes the current one (its pools keep running); the old fleet drains, then stops. */
  promote(deploymentId: string): void {
    promoteNextFleet(this.launcher, deploymentId);
  }

  /** Takes the next fleet out of service at once (its requests and streams finish, then it stops). */
  rollBack(deploymentId: string): void {
    rollBackNextFleet(this.launcher, deploymentId);
  }

  /** Whether the next fleet of `plans` fits the memory budget beside everything loaded now. */
  fitsBeside(plans: readonly ServingPlan[]): boolean {
    return nextFleetFits(this.launcher, plans);
  }

  /** Adds `count` instances to a pool taking traffic, within the memory budget (see pool-scaling.ts). */
  grow(pool: InstancePool, count: number): Promise<void> {
    return growPool(this.launcher, pool, count);
  }

  /** Takes `count` of a pool's least busy instances out of rotation (never its last); they drain, then stop. */
  shrink(pool: InstancePool, count: number): Promise<void> {
    return shrinkPool(this.launcher, pool, count);
  }

  /** Stops every pool of an idle deployment, which stays served and unloaded; false when refused. */
  scaleToZero(deploymentId: string): Promise<boolean> {
    return scaleToZero(this.launcher, deploymentId);
  }

  /** Every served deployment's id, plans and pools, for the autoscaler. */
  scalable(): ScalableDeployment[] {
    return scalableDeployments(this.launcher);
  }

  /** Called with each deployment loaded again for its requests, and how long the first waited (ms). */
  onColdStart(listener: (name: string, ms: number) => void): void {
    this.coldStartListeners.push(listener);
  }

  /** Called with every request a pool served or failed (rollout guardrails measure these). */
  onOutcome(listener: (outcome: PoolOutcome) => void): void {
    this.dispatch.onOutcome(listener);
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
  loaded(deploymentId: string, hints: RoutingHints = {}, waitMs?: number): Promise<InstancePool> {
    return this.dispatch.loaded(deploymentId, hints, waitMs);
  }

  /**
   * Sends one encoded request to the least busy ready instance of `pool`; a production pool's
   * shadows get a sampled copy (see shadow-traffic.ts).
   */
  forward(pool: InstancePool, path: string, request: TensorRequest): Promise<RunnerReply> {
    const reply = this.dispatch.using(
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
    const result = this.dispatch.using(pool, undefined, use, options.failed);
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
