import {
  type GuardrailRule,
  type RolloutStrategy,
  type StartRolloutRequest,
  startRolloutRequest,
} from '@modelport/contracts';
import { UsageError } from './cli-errors.js';
import type { VariantRequest } from './parse-variant-option.js';
import { firstIssue } from './schema-issue.js';

export interface StartRolloutOptions {
  variant: VariantRequest[];
  strategy?: RolloutStrategy['type'];
  percent?: number;
  steps?: number[];
  bake?: number;
  rule?: GuardrailRule[];
  window?: number;
  minSamples?: number;
  breaches?: number;
  onInconclusive?: NonNullable<StartRolloutRequest['onInconclusive']>;
  supersede?: boolean;
}

/** Where a field of the request came from on the command line. */
const OPTION_OF = {
  variants: '--variant',
  'strategy.percent': '--percent',
  'strategy.steps': '--steps',
  'strategy.bakeSeconds': '--bake',
  'guardrails.rules': '--rule',
  'guardrails.windowSeconds': '--window',
  'guardrails.minSamples': '--min-samples',
  'guardrails.consecutiveBreaches': '--breaches',
};

/**
 * The body of `rollouts start`, holding only what was given (the server fills in its defaults),
 * checked against the contract first so a mistake is a usage error rather than a 400.
 */
export function startRolloutRequestFrom(opts: StartRolloutOptions): StartRolloutRequest {
  const strategy = strategyFrom(opts);
  const guardrails = guardrailsFrom(opts);
  const request: StartRolloutRequest = {
    variants: opts.variant,
    ...(strategy === undefined ? {} : { strategy }),
    ...(guardrails === undefined ? {} : { guardrails }),
    ...(opts.onInconclusive === undefined ? {} : { onInconclusive: opts.onInconclusive }),
    ...(opts.supersede ? { supersede: true } : {}),
  };
  const checked = startRolloutRequest.safeParse(request);
  if (!checked.success) throw new UsageError(firstIssue(checked.error, OPTION_OF));
  return request;
}

function strategyFrom(opts: StartRolloutOptions): StartRolloutRequest['strategy'] {
  // A bake alone keeps the server's default strategy, all at once.
  const type = opts.strategy ?? (opts.bake === undefined ? undefined : 'all_at_once');
  const { percent, steps, bake } = opts;
  if (percent !== undefined && type !== 'canary' && type !== 'linear') {
    throw new UsageError('--percent needs --strategy canary or linear');
  }
  if (steps !== undefined && type !== 'linear') throw new UsageError('--steps needs --strategy linear');
  if (type === undefined) return undefined;
  if (type === 'canary' && percent === undefined) throw new UsageError('--strategy canary needs --percent');
  if (type === 'linear' && percent === undefined && steps === undefined) {
    throw new UsageError('--strategy linear needs --percent or --steps');
  }
  return {
    type,
    ...(percent === undefined ? {} : { percent }),
    ...(steps === undefined ? {} : { steps }),
    ...(bake === undefined ? {} : { bakeSeconds: bake }),
  } as StartRolloutRequest['strategy'];
}

function guardrailsFrom(opts: StartRolloutOptions): StartRolloutRequest['guardrails'] {
  const { rule, window, minSamples, breaches } = opts;
  if ([rule, window, minSamples, breaches].every((v) => v === undefined)) return undefined;
  return {
    ...(rule === undefined ? {} : { rules: rule }),
    ...(window === undefined ? {} : { windowSeconds: window }),
    ...(minSamples === undefined ? {} : { minSamples }),
    ...(breaches === undefined ? {} : { consecutiveBreaches: breaches }),
  };
}
