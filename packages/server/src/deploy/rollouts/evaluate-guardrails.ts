import {
  type Evaluation,
  figureOfMetric,
  type GuardrailRule,
  type Guardrails,
  type RuleResult,
  type WindowFigures,
} from '@modelport/contracts';

export interface GuardrailInput {
  guardrails: Guardrails;
  /** The new revision's figures over the window. */
  canary: WindowFigures;
  /** The old revision's figures over the same window; its nulls switch off relative bounds. */
  baseline: WindowFigures;
  /** Breaches in a row before this evaluation. */
  consecutiveBefore: number;
  /** ISO time of the evaluation, recorded as is. */
  at: string;
}

/**
 * One evaluation of the guardrails over a window. Fast fail comes first, so an obviously broken
 * revision is caught before the window holds `minSamples`; below `minSamples` nothing is judged and
 * the breach count stays as it was (a quiet window neither clears nor adds to a streak).
 */
export function evaluateGuardrails(input: GuardrailInput): Evaluation {
  const { guardrails, canary, baseline, consecutiveBefore, at } = input;
  const enough = canary.requests >= guardrails.minSamples;
  const rules = guardrails.rules.map((rule) => judgeRule(rule, canary, baseline, enough));
  const result = (outcome: Evaluation['outcome'], consecutiveBreaches: number): Evaluation => ({
    at,
    outcome,
    consecutiveBreaches,
    canary,
    baseline,
    rules,
  });
  if (fastFails(guardrails.fastFail, canary)) return result('fast_fail', consecutiveBefore + 1);
  if (!enough) return result('insufficient_samples', consecutiveBefore);
  if (rules.some((r) => r.outcome === 'breach')) return result('breach', consecutiveBefore + 1);
  return result('pass', 0);
}

function fastFails(fastFail: Guardrails['fastFail'], canary: WindowFigures): boolean {
  if (fastFail === null || canary.errorRate === null) return false;
  return canary.requests >= fastFail.minRequests && canary.errorRate >= fastFail.errorRate;
}

/**
 * Value, baseline and threshold are reported even when the rule is not judged (`enough` false), so
 * a paused rollout still shows where it stood.
 */
function judgeRule(
  rule: GuardrailRule,
  canary: WindowFigures,
  baseline: WindowFigures,
  enough: boolean,
): RuleResult {
  const value = canary[figureOfMetric[rule.metric]];
  const base = baseline[figureOfMetric[rule.metric]];
  const threshold = thresholdOf(rule, base);
  const judged = enough && value !== null && threshold !== null;
  const outcome = !judged ? 'no_data' : exceeds(value, threshold) ? 'breach' : 'pass';
  return { metric: rule.metric, value, baseline: base, threshold, outcome };
}

/** The largest of the bounds that apply; null when none does (only relative bounds, no baseline). */
function thresholdOf(rule: GuardrailRule, base: number | null): number | null {
  const bounds: number[] = [];
  if (rule.max !== undefined) bounds.push(rule.max);
  if (base !== null && rule.maxIncrease !== undefined) bounds.push(base + rule.maxIncrease);
  if (base !== null && rule.maxRatio !== undefined) bounds.push(base * rule.maxRatio);
  return bounds.length === 0 ? null : Math.max(...bounds);
}

/**
 * A value equal to the threshold passes; the slack keeps a sum like 0.02 + 0.01 from breaching a
 * value of exactly 0.03 through float rounding.
 */
function exceeds(value: number, threshold: number): boolean {
  return value > threshold + 1e-9 * Math.max(1, Math.abs(threshold));
}
