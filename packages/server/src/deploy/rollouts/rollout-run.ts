import type { Evaluation, Guardrails, RolloutState } from '@modelport/contracts';
import type { Engine, InstancePool, ServingPlan, TrafficSplit } from '../../engine/index.js';
import { AppError, isAppError } from '../../platform/errors/index.js';
import type { Logger } from '../../platform/index.js';
import { evaluateGuardrails } from './evaluate-guardrails.js';
import { OutcomeWindow } from './outcome-window.js';
import type { RolloutChanges } from './rollout-repo.js';

/** A fleet a rollout moves between: its plans and its split. */
export interface FleetSpec {
  readonly plans: readonly ServingPlan[];
  readonly split: TrafficSplit;
}

/** What a run needs besides the engine: where it writes its state and its events. */
export interface RunDeps {
  engine: Engine;
  log: Logger;
  /** Stores the run's state (every transition, every evaluation). */
  persist(changes: RolloutChanges): Promise<void>;
  /** Records an event in the audit log (`rollout.step`, `rollout.breach`, …). */
  audit(action: RolloutEvent, detail: Record<string, unknown>): Promise<void>;
  /** Points the deployment at the new revision (the run has moved all traffic to it). */
  commit(): Promise<void>;
  /** Told of every state and share change (for metrics). */
  changed(run: RolloutRun): void;
}

export type RolloutEvent =
  | 'rollout.step'
  | 'rollout.breach'
  | 'rollout.rollback'
  | 'rollout.succeed'
  | 'rollout.fail';

export interface RunSpec {
  readonly id: string;
  readonly deploymentId: string;
  readonly deployment: string;
  readonly strategy: 'all_at_once' | 'canary' | 'linear' | 'rolling';
  /** Percentages of the traffic on the new revision, step by step (ending at 100). */
  readonly steps: readonly number[];
  readonly bakeMs: number;
  readonly guardrails: Guardrails;
  readonly onInconclusive: 'pause' | 'rollback' | 'promote';
  readonly from: FleetSpec;
  readonly to: FleetSpec;
}

/** Where a resumed run picks up (a restarted server), or a fresh one starts. */
export interface RunStart {
  state: RolloutState;
  step: number;
  reason: string | null;
}

const active: ReadonlySet<RolloutState> = new Set(['provisioning', 'shifting', 'baking', 'paused']);

/**
 * One rollout of a deployment from revision N to N+1, driven in this process: provisioning stages
 * the next fleet beside the current one (no request reaches it before every runner is ready), each
 * step shifts its share and bakes while the guardrails judge it every interval against the
 * current fleet over the same window, and the last step promotes it. A breach (consecutive, or the
 * fast-fail case) rolls back at once: traffic moves to the current fleet, which stayed loaded.
 * `rolling` has no next fleet: each step swaps one variant's pool in place, and rollback swaps back.
 * Every action and timer runs one at a time (`act`).
 */
export class RolloutRun {
  state: RolloutState = 'provisioning';
  step = -1;
  percent = 0;
  reason: string | null = null;
  lastEvaluation: Evaluation | null = null;
  private consecutive = 0;
  private readonly canary: OutcomeWindow;
  private readonly baseline: OutcomeWindow;
  private bakeTimer: NodeJS.Timeout | undefined;
  private evalTimer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private abortRequested = false;
  private fastFailing = false;
  private stopped = false;
  /** `rolling`: the variants whose pools already run the new revision. */
  private readonly rolled = new Set<string>();

  constructor(
    readonly spec: RunSpec,
    private readonly deps: RunDeps,
  ) {
    this.canary = new OutcomeWindow(spec.guardrails.windowSeconds * 1000);
    this.baseline = new OutcomeWindow(spec.guardrails.windowSeconds * 1000);
  }

  get finished(): boolean {
    return !active.has(this.state) && this.state !== 'rolling_back';
  }

  /** Starts (or, after a restart, resumes) the run; resolves once provisioning has settled. */
  begin(from: RunStart = { state: 'provisioning', step: -1, reason: null }): Promise<void> {
    return this.act(async () => {
      if (from.state === 'rolling_back') return this.rollBack(from.reason ?? 'rolled_back');
      // A resumed run shows the state it had while its next fleet starts again.
      const resumed = from.state !== 'provisioning';
      if (resumed) Object.assign(this, { state: from.state, step: from.step, reason: from.reason });
      if (!(await this.provision(!resumed))) return;
      if (this.abortRequested) return this.rollBack('aborted');
      if (from.state === 'paused' && from.step >= 0) {
        await this.shiftTo(from.step);
        await this.enter('paused', from.reason);
        this.startEvaluating();
        return;
      }
      await this.enterStep(Math.max(0, from.step));
    });
  }

  /** Which side of the rollout a pool's outcome belongs to; undefined: another deployment's pool. */
  sideOf(pool: InstancePool): OutcomeWindow | undefined {
    // A shadow's requests (named by x-modelport-target-variant) say nothing of either side.
    if (pool.plan.deploymentId !== this.spec.deploymentId || pool.plan.shadow) return undefined;
    if (this.spec.strategy === 'rolling')
      return this.rolled.has(pool.plan.variant) ? this.canary : this.baseline;
    return pool.plan.fleet === 'next' ? this.canary : this.baseline;
  }

  /** A finished request; an error of the new revision may trip the fast-fail rule at once. */
  record(pool: InstancePool, latencyMs: number, error: boolean): void {
    const side = this.sideOf(pool);
    if (!side || this.finished) return;
    const at = Date.now();
    side.record({ at, error, latencyMs });
    if (error && side === this.canary) this.checkFastFail(at);
  }

  firstToken(pool: InstancePool, ms: number): void {
    this.sideOf(pool)?.firstToken(Date.now(), ms);
  }

  interToken(pool: InstancePool, ms: number): void {
    this.sideOf(pool)?.interToken(Date.now(), ms);
  }

  pause(): Promise<void> {
    return this.act(async () => {
      if (this.state !== 'baking' && this.state !== 'shifting')
        throw conflict(`A ${this.state} rollout cannot be paused.`);
      clearTimeout(this.bakeTimer);
      await this.enter('paused', 'paused');
    });
  }

  resume(): Promise<void> {
    return this.act(async () => {
      if (this.state !== 'paused')
        throw conflict(`Only a paused rollout resumes; this one is ${this.state}.`);
      await this.enterStep(this.step);
    });
  }

  /** The next step now (skipping the rest of this bake), or with `all` the whole way. */
  promote(all: boolean): Promise<void> {
    return this.act(async () => {
      if (!['baking', 'shifting', 'paused'].includes(this.state))
        throw conflict(`A ${this.state} rollout cannot be promoted.`);
      if (all) return this.complete();
      return this.advance();
    });
  }

  /** Rolls back whatever the state; a run still provisioning rolls back once its runners settle. */
  abort(): Promise<void> {
    if (this.state === 'provisioning') {
      this.abortRequested = true;
      return this.chain.then(() => undefined);
    }
    return this.act(async () => {
      if (this.finished) return;
      await this.rollBack('aborted');
    });
  }

  /** Rolls back to make way for a rollout that supersedes this one. */
  supersede(): Promise<void> {
    this.abortRequested = true;
    return this.act(async () => {
      if (this.finished) return;
      await this.rollBack('superseded');
    });
  }

  /** Stops timers without changing the state (server closing: a restart resumes it). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.bakeTimer);
    clearInterval(this.evalTimer);
  }

  private act(step: () => Promise<void>): Promise<void> {
    const run = this.chain.then(() => (this.stopped ? undefined : step()));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async provision(announce: boolean): Promise<boolean> {
    if (announce) await this.enter('provisioning', null);
    if (this.spec.strategy === 'rolling') return true;
    try {
      await this.deps.engine.stage(this.spec.to.plans, this.spec.to.split);
      return true;
    } catch (err) {
      const reason = isAppError(err)
        ? `${err.code}: ${err.message}`
        : `load_failed: ${(err as Error).message}`;
      this.deps.log.warn({ err, deployment: this.spec.deployment }, 'rollout failed to provision');
      await this.finish('failed', reason);
      await this.deps.audit('rollout.fail', { reason });
      return false;
    }
  }

  private async enterStep(step: number): Promise<void> {
    await this.enter('shifting', null);
    await this.shiftTo(step);
    await this.deps.audit('rollout.step', {
      step: step + 1,
      of: this.spec.steps.length,
      percent: this.percent,
    });
    await this.enter('baking', null);
    this.startEvaluating();
    this.scheduleBake(this.spec.bakeMs);
  }

  private async shiftTo(step: number): Promise<void> {
    const percent = this.spec.steps[step] ?? 100;
    if (this.spec.strategy === 'rolling') await this.rollVariants(step);
    else this.deps.engine.shift(this.spec.deploymentId, percent);
    this.step = step;
    this.percent = percent;
  }

  /** `rolling`: the first `step + 1` variants of the new revision take over their pools in place. */
  private async rollVariants(step: number): Promise<void> {
    const { from, to } = this.spec;
    const rolledPlans = to.plans.slice(0, step + 1);
    for (const p of rolledPlans) this.rolled.add(p.variant);
    if (rolledPlans.length >= to.plans.length) return this.deps.engine.deploy(to.plans, to.split);
    const kept = from.plans.filter((p) => !this.rolled.has(p.variant));
    const weightIn = (fleet: FleetSpec, variant: string) =>
      fleet.split.weights.find((w) => w.variant === variant)?.weight ?? 0;
    const weights = [
      ...rolledPlans.map((p) => ({ variant: p.variant, weight: weightIn(to, p.variant) })),
      ...kept.map((p) => ({ variant: p.variant, weight: weightIn(from, p.variant) })),
    ];
    await this.deps.engine.deploy([...rolledPlans, ...kept], { ...from.split, weights });
  }

  private scheduleBake(ms: number): void {
    clearTimeout(this.bakeTimer);
    this.bakeTimer = setTimeout(() => void this.act(() => this.bakeDone()).catch(this.logFailure), ms);
  }

  private startEvaluating(): void {
    if (this.evalTimer) return;
    const every = this.spec.guardrails.intervalSeconds * 1000;
    this.evalTimer = setInterval(() => {
      void this.act(async () => {
        if (this.state === 'baking' || this.state === 'paused') await this.evaluate();
      }).catch(this.logFailure);
    }, every);
  }

  private readonly logFailure = (err: unknown) => {
    this.deps.log.error(
      { err, deployment: this.spec.deployment, rollout: this.spec.id },
      'rollout step failed',
    );
  };

  /** Judges the window; rolls back on the fast-fail rule or enough breaches in a row. */
  private async evaluate(): Promise<Evaluation> {
    const now = Date.now();
    const evaluation = evaluateGuardrails({
      guardrails: this.spec.guardrails,
      canary: this.canary.figures(now),
      baseline: this.baseline.figures(now),
      consecutiveBefore: this.consecutive,
      at: new Date(now).toISOString(),
    });
    this.consecutive = evaluation.consecutiveBreaches;
    this.lastEvaluation = evaluation;
    const failed =
      evaluation.outcome === 'fast_fail' ||
      (evaluation.outcome === 'breach' && this.consecutive >= this.spec.guardrails.consecutiveBreaches);
    if (evaluation.outcome === 'breach' || evaluation.outcome === 'fast_fail') {
      await this.deps.audit('rollout.breach', breachDetail(evaluation));
    }
    if (failed) await this.rollBack(evaluation.outcome === 'fast_fail' ? 'fast_fail' : 'guardrail_breach');
    else await this.deps.persist({ last_evaluation: JSON.stringify(evaluation), updated_at: evaluation.at });
    return evaluation;
  }

  private checkFastFail(at: number): void {
    const rule = this.spec.guardrails.fastFail;
    if (!rule || this.fastFailing || (this.state !== 'baking' && this.state !== 'paused')) return;
    const { requests, errors } = this.canary.counts(at);
    if (requests < rule.minRequests || errors / requests < rule.errorRate) return;
    this.fastFailing = true;
    void this.act(async () => {
      if (this.state === 'baking' || this.state === 'paused') await this.evaluate();
    })
      .catch(this.logFailure)
      .finally(() => {
        this.fastFailing = false;
      });
  }

  private async bakeDone(): Promise<void> {
    if (this.state !== 'baking') return;
    const evaluation = await this.evaluate();
    if (this.finished) return;
    if (evaluation.outcome === 'insufficient_samples') {
      if (this.spec.onInconclusive === 'rollback') return this.rollBack('insufficient_samples');
      if (this.spec.onInconclusive === 'pause') {
        await this.enter('paused', 'insufficient_samples');
        return;
      }
      return this.advance();
    }
    // A breach not yet confirmed: bake on until it clears or rolls back.
    if (this.consecutive > 0) return this.scheduleBake(this.spec.guardrails.intervalSeconds * 1000);
    return this.advance();
  }

  private async advance(): Promise<void> {
    if (this.step + 1 < this.spec.steps.length) return this.enterStep(this.step + 1);
    return this.complete();
  }

  /** Everything on the new revision: its fleet becomes the current one, the old one drains. */
  private async complete(): Promise<void> {
    clearTimeout(this.bakeTimer);
    clearInterval(this.evalTimer);
    if (this.spec.strategy === 'rolling') {
      if (this.step < this.spec.steps.length - 1) await this.shiftTo(this.spec.steps.length - 1);
    } else {
      this.deps.engine.promote(this.spec.deploymentId);
    }
    this.step = this.spec.steps.length - 1;
    this.percent = 100;
    await this.deps.commit();
    await this.finish('succeeded', null);
    await this.deps.audit('rollout.succeed', { revision: this.spec.to.split.revision });
  }

  /** Traffic back on revision N at once (its fleet never left), then the new fleet drains. */
  private async rollBack(reason: string): Promise<void> {
    clearTimeout(this.bakeTimer);
    clearInterval(this.evalTimer);
    const at = Date.now();
    if (this.spec.strategy === 'rolling') {
      await this.enter('rolling_back', reason);
      if (this.rolled.size > 0) await this.deps.engine.deploy(this.spec.from.plans, this.spec.from.split);
      this.rolled.clear();
    } else {
      this.deps.engine.rollBack(this.spec.deploymentId);
      await this.enter('rolling_back', reason);
    }
    const movedMs = Date.now() - at;
    this.percent = 0;
    await this.finish('rolled_back', reason);
    await this.deps.audit('rollout.rollback', {
      reason,
      movedMs,
      ...(this.lastEvaluation ? breachDetail(this.lastEvaluation) : {}),
    });
  }

  private async enter(state: RolloutState, reason: string | null): Promise<void> {
    this.state = state;
    this.reason = reason;
    this.deps.changed(this);
    await this.deps.persist({
      state,
      reason,
      step: this.step,
      percent: this.percent,
      updated_at: new Date().toISOString(),
    });
  }

  private async finish(state: RolloutState, reason: string | null): Promise<void> {
    clearTimeout(this.bakeTimer);
    clearInterval(this.evalTimer);
    this.state = state;
    this.reason = reason;
    this.deps.changed(this);
    const now = new Date().toISOString();
    await this.deps.persist({
      state,
      reason,
      step: this.step,
      percent: this.percent,
      last_evaluation: this.lastEvaluation ? JSON.stringify(this.lastEvaluation) : null,
      updated_at: now,
      finished_at: now,
    });
  }
}

function conflict(message: string): AppError {
  return new AppError('rollout_state_conflict', message);
}

/** The figures that made a breach, as the audit log keeps them. */
function breachDetail(e: Evaluation): Record<string, unknown> {
  return {
    outcome: e.outcome,
    consecutiveBreaches: e.consecutiveBreaches,
    canary: { requests: e.canary.requests, errors: e.canary.errors, latencyP95: e.canary.latencyP95 },
    baseline: { requests: e.baseline.requests, errors: e.baseline.errors, latencyP95: e.baseline.latencyP95 },
    rules: e.rules.filter((r) => r.outcome === 'breach'),
  };
}
