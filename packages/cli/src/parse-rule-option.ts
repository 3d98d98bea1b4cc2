import { type GuardrailRule, guardrailMetricSchema, guardrailRuleSchema } from '@modelport/contracts';
import { InvalidArgumentError } from 'commander';
import { parseKeyValues, specNumber } from './key-value-spec.js';
import { firstIssue } from './schema-issue.js';

export const RULE_SPEC = '<metric>:max=<v>,maxIncrease=<v>,maxRatio=<r> (at least one bound)';

const BOUNDS = ['max', 'maxIncrease', 'maxRatio'] as const;

/** For a repeatable `--rule error_rate:max=0.01,maxIncrease=0.01`. */
export function collectRule(value: string, previous: GuardrailRule[] = []): GuardrailRule[] {
  return [...previous, parseRule(value)];
}

export function parseRule(spec: string): GuardrailRule {
  const colon = spec.indexOf(':');
  const metricText = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const metric = guardrailMetricSchema.safeParse(metricText);
  if (!metric.success) {
    throw new InvalidArgumentError(
      `'${metricText}' is not a metric (${guardrailMetricSchema.options.join(', ')}).`,
    );
  }
  if (colon < 0 || spec.slice(colon + 1).trim() === '') {
    throw new InvalidArgumentError(`no bound for ${metric.data}: ${RULE_SPEC}.`);
  }
  const rule: GuardrailRule = { metric: metric.data };
  for (const [key, text] of parseKeyValues(spec.slice(colon + 1), BOUNDS)) {
    rule[key as (typeof BOUNDS)[number]] = specNumber(key, text);
  }
  const checked = guardrailRuleSchema.safeParse(rule);
  if (!checked.success) throw new InvalidArgumentError(`${metric.data}: ${firstIssue(checked.error)}.`);
  return rule;
}
