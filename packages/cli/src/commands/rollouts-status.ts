import type { Rollout } from '@modelport/contracts';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { parseNonNegative } from '../option-parsers.js';
import { renderRollout, summarizeRollout } from '../render-rollout.js';

interface StatusOptions {
  id?: string;
  watch?: boolean;
  interval: number;
  timeout?: number;
}

export function registerRolloutStatus(rollouts: Command, io: CliIo): void {
  rollouts
    .command('status <deployment>')
    .description('show the rollout: state, step, reason and the last evaluation, canary against baseline')
    .option('--id <rollout>', 'the rollout (default current: the one in progress, else the latest)')
    .option(
      '--watch',
      'follow it, a line per change on stderr, until it succeeds (exit 0), or fails, rolls back or pauses (exit 1)',
    )
    .option('--interval <seconds>', 'with --watch: time between two reads', parseNonNegative, 2)
    .option('--timeout <seconds>', 'with --watch: give up after this long (exit 1)', parseNonNegative)
    .action(action(io, showStatus));
}

async function showStatus(ctx: CommandContext, deployment: string, opts: StatusOptions): Promise<void> {
  const client = ctx.client();
  if (!opts.watch) {
    const rollout = await client.rollouts.get(deployment, opts.id);
    ctx.print(rollout, () => renderRollout(rollout));
    return;
  }
  let shown = '';
  const rollout = await client.rollouts.wait(deployment, {
    ...(opts.id === undefined ? {} : { id: opts.id }),
    pollMs: opts.interval * 1000,
    ...(opts.timeout === undefined ? {} : { timeoutMs: opts.timeout * 1000 }),
    onPoll: (r) => {
      const line = summarizeRollout(r);
      if (line !== shown) ctx.note(line);
      shown = line;
    },
  });
  ctx.print(rollout, () => renderRollout(rollout));
  if (rollout.state !== 'succeeded') throw new Error(unfinished(rollout));
}

function unfinished(r: Rollout): string {
  const reason = r.reason === null ? '' : ` (${r.reason})`;
  if (r.state === 'paused') {
    return `rollout ${r.id} is paused${reason}: resume, promote or abort it with \`modelport rollouts\``;
  }
  return `rollout ${r.id} ended ${r.state}${reason}`;
}
