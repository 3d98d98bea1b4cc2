import type { ScalingDecision } from '@modelport/contracts';
import { isAppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import type { InstancePool } from './instance-pool.js';
import type { ScalableDeployment } from './pool-scaling.js';
import { decideScale, newScalerMemory, type ScalerMemory } from './scale-decision.js';

/** How often pools are sampled and decided on (Knative ticks every 2 s; requests are cheaper here). */
const TICK_MS = 1000;

/** What the scaler needs of the engine (which owns it). */
export interface ScalableEngine {
  scalable(): ScalableDeployment[];
  grow(pool: InstancePool, count: number): Promise<void>;
  shrink(pool: InstancePool, count: number): Promise<void>;
  scaleToZero(deploymentId: string): Promise<boolean>;
}

interface PoolScaler {
  memory: ScalerMemory;
  /** Instances being added (started, not yet taking requests). */
  starting: number;
  /** A scale-down under way (its instances finishing their requests). */
  shrinking: boolean;
  last: ScalingDecision | null;
  desired: number;
}

/**
 * Samples every autoscaled pool's requests in flight once a tick, decides its size
 * (scale-decision.ts) and grows it past the instances already starting, or shrinks it when none is;
 * a deployment whose variants may go to zero and that has been idle long enough is stopped.
 */
export class Autoscaler {
  private readonly scalers = new WeakMap<InstancePool, PoolScaler>();
  private timer: NodeJS.Timeout | undefined;
  private readonly decisionListeners: ((pool: InstancePool, d: ScalingDecision) => void)[] = [];

  constructor(
    private readonly engine: ScalableEngine,
    private readonly log: Logger,
    private readonly tickMs = TICK_MS,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Told of every decision that changes a pool's size (audit, metrics). */
  onDecision(listener: (pool: InstancePool, d: ScalingDecision) => void): void {
    this.decisionListeners.push(listener);
  }

  /** What the scaler wants for a pool and why, for the deployment's status. */
  status(pool: InstancePool): { desired: number; last: ScalingDecision | null } {
    const s = this.scalers.get(pool);
    return { desired: s?.desired ?? pool.instances.length, last: s?.last ?? null };
  }

  tick(now = Date.now()): void {
    for (const deployment of this.engine.scalable()) {
      const configs = deployment.pools.map((p) => p.plan.settings.autoscaling);
      if (configs.length === 0 || configs.some((c) => c === undefined)) continue;
      const toZero = configs.every((c) => c && c.minInstances === 0);
      const idleFor = now - deployment.idleSince;
      if (
        toZero &&
        !deployment.unloaded &&
        idleFor >= Math.min(...configs.map((c) => (c?.scaleToZeroAfterSeconds ?? 0) * 1000))
      ) {
        void this.engine.scaleToZero(deployment.deploymentId);
        continue;
      }
      // During a rollout the current fleet is what a rollback returns to: it may grow, never shrink.
      for (const pool of deployment.pools)
        this.decide(pool, now, deployment.inRollout && pool.plan.fleet !== 'next');
    }
  }

  private decide(pool: InstancePool, now: number, keep: boolean): void {
    const config = pool.plan.settings.autoscaling;
    if (!config) return;
    let scaler = this.scalers.get(pool);
    if (!scaler) {
      scaler = {
        memory: newScalerMemory(),
        starting: 0,
        shrinking: false,
        last: null,
        desired: pool.instances.length,
      };
      // A new pool keeps its size for at least the scale-down delay.
      scaler.memory.wishes.push({ at: now, desired: pool.instances.length });
      this.scalers.set(pool, scaler);
    }
    scaler.memory.samples.push({ at: now, concurrency: pool.outstanding });
    const current = pool.instances.length;
    const decided = decideScale(scaler.memory, config, now, current);
    const d =
      keep && decided.desired < current
        ? { ...decided, desired: current, reason: 'kept during the rollout (a rollback returns to it)' }
        : decided;
    scaler.desired = d.desired;
    const decision: ScalingDecision = { at: new Date(now).toISOString(), current, ...d };
    scaler.last = decision;
    // Instances still starting count as there: a growing pool grows again only past them, and
    // nothing shrinks while some start (or while a shrink is under way).
    const coming = current + scaler.starting;
    if (d.desired > coming)
      this.apply(
        pool,
        scaler,
        decision,
        () => this.engine.grow(pool, d.desired - coming),
        d.desired - coming,
      );
    else if (d.desired < current && scaler.starting === 0 && !scaler.shrinking)
      this.apply(pool, scaler, decision, () => this.engine.shrink(pool, current - d.desired), 0);
  }

  private apply(
    pool: InstancePool,
    scaler: PoolScaler,
    decision: ScalingDecision,
    change: () => Promise<void>,
    adding: number,
  ): void {
    for (const listener of this.decisionListeners) listener(pool, decision);
    if (adding > 0) scaler.starting += adding;
    else scaler.shrinking = true;
    change()
      .catch((err: unknown) => {
        // The budget's refusal is the pool's status until memory frees up; the next tick tries again.
        scaler.last = { ...decision, reason: isAppError(err) ? `${err.code}: ${err.message}` : String(err) };
        if (!isAppError(err)) this.log.error({ err, deployment: pool.plan.name }, 'scaling failed');
      })
      .finally(() => {
        if (adding > 0) scaler.starting -= adding;
        else scaler.shrinking = false;
      });
  }
}
