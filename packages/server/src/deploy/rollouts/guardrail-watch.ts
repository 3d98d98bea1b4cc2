import type { Evaluation, Guardrails } from '@modelport/contracts';
import { evaluateGuardrails } from './evaluate-guardrails.js';
import { OutcomeWindow } from './outcome-window.js';
import type { RolloutChanges } from './rollout-repo.js';

/** What the watch asks of the run it judges. */
export interface WatchHooks {
  /** Runs `step` in the run's turn (a run does one thing at a time). */
  inTurn(step: () => Promise<void>): Promise<void>;
  /** Whether the run is judged now: it bakes or is paused. */
  judged(): boolean;
  /** The guardrails failed the new revision: the run rolls back. */
  rollBack(reason: 'fast_fail' | 'guardrail_breach'): Promise<void>;
  /** Records a breach in the audit log (`rollout.breach`). */
  breached(detail: Record<string, unknown>): Promise<void>;
  /** Stores a judgement that changed nothing else. */
  persist(changes: RolloutChanges): Promise<void>;
  logFailure(err: unknown): void;
}

/**
 * The evaluation loop of a run: the outcomes of both revisions over the same window, judged every
 * interval (and at once when the new revision's errors trip the fast-fail rule); enough breaches in
 * a row, or the fast-fail rule, roll the run back.
 */
export class GuardrailWatch {
  /** The new revision's requests. */
  readonly canary: OutcomeWindow;
  /** The current revision's requests over the same window. */
  readonly baseline: OutcomeWindow;
  /** Breaches in a row so far. */
  consecutive = 0;
  last: Evaluation | null = null;
  private timer: NodeJS.Timeout | undefined;
  private fastFailing = false;

  constructor(
    private readonly guardrails: Guardrails,
    private readonly hooks: WatchHooks,
  ) {
    this.canary = new OutcomeWindow(guardrails.windowSeconds * 1000);
    this.baseline = new OutcomeWindow(guardrails.windowSeconds * 1000);
  }

  /** A finished request on one side; an error of the new revision may trip the fast-fail rule at once. */
  record(side: OutcomeWindow, latencyMs: number, error: boolean): void {
    const at = Date.now();
    side.record({ at, error, latencyMs });
    if (error && side === this.canary) this.checkFastFail(at);
  }

  /** Judges every interval from now on; once started (even if stopped since), it is not started again. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.judgeInTurn(), this.guardrails.intervalSeconds * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Judges the window; rolls back on the fast-fail rule or enough breaches in a row. */
  async evaluate(): Promise<Evaluation> {
    const now = Date.now();
    const evaluation = evaluateGuardrails({
      guardrails: this.guardrails,
      canary: this.canary.figures(now),
      baseline: this.baseline.figures(now),
      consecutiveBefore: this.consecutive,
      at: new Date(now).toISOString(),
    });
    this.consecutive = evaluation.consecutiveBreaches;
    this.last = evaluation;
    const failed =
      evaluation.outcome === 'fast_fail' ||
      (evaluation.outcome === 'breach' && this.consecutive >= this.guardrails.consecutiveBreaches);
    if (evaluation.outcome === 'breach' || evaluation.outcome === 'fast_fail') {
      await this.hooks.breached(breachDetail(evaluation));
    }
    if (failed)
      await this.hooks.rollBack(evaluation.outcome === 'fast_fail' ? 'fast_fail' : 'guardrail_breach');
    else await this.hooks.persist({ last_evaluation: JSON.stringify(evaluation), updated_at: evaluation.at });
    return evaluation;
  }

  /** Judges in the run's turn, if the run is still judged by then. */
  private judgeInTurn(): Promise<void> {
    return this.hooks
      .inTurn(async () => {
        if (this.hooks.judged()) await this.evaluate();
      })
      .catch((err: unknown) => this.hooks.logFailure(err));
  }

  private checkFastFail(at: number): void {
    const rule = this.guardrails.fastFail;
    if (!rule || this.fastFailing || !this.hooks.judged()) return;
    const { requests, errors } = this.canary.counts(at);
    if (requests < rule.minRequests || errors / requests < rule.errorRate) return;
    this.fastFailing = true;
    void this.judgeInTurn().finally(() => {
      this.fastFailing = false;
    });
  }
}

/** The figures that made a breach, as the audit log keeps them. */
export function breachDetail(e: Evaluation): Record<string, unknown> {
  return {
    outcome: e.outcome,
    consecutiveBreaches: e.consecutiveBreaches,
    canary: { requests: e.canary.requests, errors: e.canary.errors, latencyP95: e.canary.latencyP95 },
    baseline: { requests: e.baseline.requests, errors: e.baseline.errors, latencyP95: e.baseline.latencyP95 },
    rules: e.rules.filter((r) => r.outcome === 'breach'),
  };
}
