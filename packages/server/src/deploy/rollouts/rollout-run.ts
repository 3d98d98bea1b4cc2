import type { Evaluation, RolloutState } from '@modelport/contracts';
import type { Engine, InstancePool } from '../../engine/index.js';
import { AppError, isAppError } from '../../platform/errors/index.js';
import type { Logger } from '../../platform/index.js';
import { type FleetMoves, nextFleetMoves } from './fleet-moves.js';
import { breachDetail, GuardrailWatch } from './guardrail-watch.js';
import type { OutcomeWindow } from './outcome-window.js';
import { RollingVariants } from './rolling-variants.js';
import type { RolloutChanges } from './rollout-repo.js';
import type { RunSpec, RunStart } from './run-spec.js';

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
  private readonly watch: GuardrailWatch;
  private readonly moves: FleetMoves;
  private bakeTimer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private abortRequested = false;
  private stopped = false;

  constructor(
    readonly spec: RunSpec,
    private readonly deps: RunDeps,
  ) {
    this.watch = new GuardrailWatch(spec.guardrails, {
      inTurn: (step) => this.act(step),
      judged: () => this.state === 'baking' || this.state === 'paused',
      rollBack: (reason) => this.rollBack(reason),
      breached: (detail) => deps.audit('rollout.breach', detail),
      persist: (changes) => deps.persist(changes),
      logFailure: this.logFailure,
    });
    this.moves =
      spec.strategy === 'rolling'
        ? new RollingVariants(deps.engine, spec.from, spec.to)
        : nextFleetMoves(deps.engine, spec);
  }

  /** The guardrails' last judgement of this run. */
  get lastEvaluation(): Evaluation | null {
    return this.watch.last;
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
        this.watch.start();
        return;
      }
      await this.enterStep(Math.max(0, from.step));
    });
  }

  /** Which side of the rollout a pool's outcome belongs to; undefined: another deployment's pool. */
  sideOf(pool: InstancePool): OutcomeWindow | undefined {
    // A shadow's requests (named by x-modelport-target-variant) say nothing of either side.
    if (pool.plan.deploymentId !== this.spec.deploymentId || pool.plan.shadow) return undefined;
    return this.moves.isNew(pool) ? this.watch.canary : this.watch.baseline;
  }

  /** A finished request; an error of the new revision may trip the fast-fail rule at once. */
  record(pool: InstancePool, latencyMs: number, error: boolean): void {
    const side = this.sideOf(pool);
    if (!side || this.finished) return;
    this.watch.record(side, latencyMs, error);
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
    this.watch.stop();
  }

  private act(step: () => Promise<void>): Promise<void> {
    const run = this.chain.then(() => (this.stopped ? undefined : step()));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async provision(announce: boolean): Promise<boolean> {
    if (announce) await this.enter('provisioning', null);
    try {
      await this.moves.provision();
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
    this.watch.start();
    this.scheduleBake(this.spec.bakeMs);
  }

  private async shiftTo(step: number): Promise<void> {
    const percent = this.spec.steps[step] ?? 100;
    await this.moves.shiftTo(step, percent);
    this.step = step;
    this.percent = percent;
  }

  private scheduleBake(ms: number): void {
    clearTimeout(this.bakeTimer);
    this.bakeTimer = setTimeout(() => void this.act(() => this.bakeDone()).catch(this.logFailure), ms);
  }

  private readonly logFailure = (err: unknown) => {
    this.deps.log.error(
      { err, deployment: this.spec.deployment, rollout: this.spec.id },
      'rollout step failed',
    );
  };

  private async bakeDone(): Promise<void> {
    if (this.state !== 'baking') return;
    const evaluation = await this.watch.evaluate();
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
    if (this.watch.consecutive > 0) return this.scheduleBake(this.spec.guardrails.intervalSeconds * 1000);
    return this.advance();
  }

  private async advance(): Promise<void> {
    if (this.step + 1 < this.spec.steps.length) return this.enterStep(this.step + 1);
    return this.complete();
  }

  /** Everything on the new revision: its fleet becomes the current one, the old one drains. */
  private async complete(): Promise<void> {
    clearTimeout(this.bakeTimer);
    this.watch.stop();
    await this.moves.complete(this.step, this.spec.steps.length - 1);
    this.step = this.spec.steps.length - 1;
    this.percent = 100;
    await this.deps.commit();
    await this.finish('succeeded', null);
    await this.deps.audit('rollout.succeed', { revision: this.spec.to.split.revision });
  }

  /** Traffic back on revision N at once (its fleet never left), then the new fleet drains. */
  private async rollBack(reason: string): Promise<void> {
    clearTimeout(this.bakeTimer);
    this.watch.stop();
    const at = Date.now();
    await this.moves.rollBack(() => this.enter('rolling_back', reason));
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
    this.watch.stop();
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
