import { onInconclusiveSchema, rolloutStrategySchema } from '@modelport/contracts';
import { type Command, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatVariants } from '../format-variants.js';
import { parseNonNegative, parseNumberList, parsePositiveInteger } from '../option-parsers.js';
import { collectRule, RULE_SPEC } from '../parse-rule-option.js';
import { collectVariant, VARIANT_SPEC } from '../parse-variant-option.js';
import { describeStrategy, renderRolloutList, summarizeRollout } from '../render-rollout.js';
import { type StartRolloutOptions, startRolloutRequestFrom } from '../rollout-request.js';
import { registerRolloutStatus } from './rollouts-status.js';

const ID_HELP = 'the rollout (default current: the one in progress, else the latest)';

/** `modelport rollouts …`: move a deployment to new variants step by step, watched by guardrails. */
export function registerRollouts(program: Command, io: CliIo): void {
  const rollouts = program
    .command('rollouts')
    .description('roll a deployment out to new variants step by step, rolled back on a guardrail breach');
  registerStart(rollouts, io);
  registerRolloutStatus(rollouts, io);
  rollouts
    .command('list <deployment>')
    .description("list a deployment's rollouts, newest first")
    .action(action(io, listRollouts));
  for (const [verb, description] of [
    ['pause', 'hold the traffic split where it is'],
    ['resume', 'go on from where it was paused'],
    ['abort', 'roll back to the revision the rollout started from'],
  ] as const) {
    rollouts
      .command(`${verb} <deployment>`)
      .description(description)
      .option('--id <rollout>', ID_HELP)
      .action(
        action(io, (ctx, deployment: string, opts: { id?: string }) => act(ctx, verb, deployment, opts)),
      );
  }
  rollouts
    .command('promote <deployment>')
    .description('take the next step now, without waiting out the bake')
    .option('--all', 'go straight to 100% and finish')
    .option('--id <rollout>', ID_HELP)
    .action(action(io, promote));
}

function registerStart(rollouts: Command, io: CliIo): void {
  rollouts
    .command('start <deployment>')
    .description('start a rollout to these variants (the whole next revision)')
    .requiredOption('--variant <spec>', `${VARIANT_SPEC} (repeatable)`, collectVariant)
    .addOption(
      new Option('--strategy <type>', 'how traffic moves (default all_at_once)').choices(
        rolloutStrategySchema.options.map((o) => o.shape.type.value),
      ),
    )
    .option('--percent <p>', 'canary: its share; linear: the share added per step', parseNonNegative)
    .option('--steps <list>', 'linear: explicit shares, e.g. 10,50,100', parseNumberList)
    .option('--bake <seconds>', 'how long each step is watched before the next', parseNonNegative)
    .option(
      '--rule <spec>',
      `a guardrail, ${RULE_SPEC}; error_rate is a fraction (0.01 = 1%), latencies are ms (repeatable)`,
      collectRule,
    )
    .option('--window <seconds>', 'the sliding window each evaluation looks at', parseNonNegative)
    .option(
      '--min-samples <n>',
      'requests a window needs before a rule can pass or breach',
      parsePositiveInteger,
    )
    .option('--breaches <n>', 'breaches in a row before rolling back', parsePositiveInteger)
    .addOption(
      new Option('--on-inconclusive <what>', 'when a bake saw too few requests (default pause)').choices(
        onInconclusiveSchema.options,
      ),
    )
    .option('--supersede', 'roll back a rollout in progress first instead of refusing')
    .action(action(io, startRollout));
}

async function startRollout(
  ctx: CommandContext,
  deployment: string,
  opts: StartRolloutOptions,
): Promise<void> {
  const request = startRolloutRequestFrom(opts);
  const rollout = await ctx.client().rollouts.start(deployment, request);
  ctx.print(rollout, () => {
    ctx.note(`follow it with: modelport rollouts status ${deployment} --watch`);
    return [
      `started rollout ${rollout.id} of ${deployment}: revision ${rollout.fromRevision} → ${rollout.toRevision}, ${describeStrategy(rollout.strategy)}`,
      formatVariants(rollout.targetVariants),
    ].join('\n');
  });
}

async function listRollouts(ctx: CommandContext, deployment: string): Promise<void> {
  const rollouts = await ctx.client().rollouts.list(deployment);
  ctx.print(rollouts, () =>
    rollouts.length === 0
      ? `no rollouts yet: start one with \`modelport rollouts start ${deployment} --variant …\``
      : renderRolloutList(rollouts),
  );
}

async function act(
  ctx: CommandContext,
  verb: 'pause' | 'resume' | 'abort',
  deployment: string,
  opts: { id?: string },
): Promise<void> {
  const rollout = await ctx.client().rollouts[verb](deployment, opts.id);
  ctx.print(rollout, () => summarizeRollout(rollout));
}

async function promote(
  ctx: CommandContext,
  deployment: string,
  opts: { all?: boolean; id?: string },
): Promise<void> {
  const rollout = await ctx.client().rollouts.promote(deployment, opts.all ? { all: true } : {}, opts.id);
  ctx.print(rollout, () => summarizeRollout(rollout));
}
