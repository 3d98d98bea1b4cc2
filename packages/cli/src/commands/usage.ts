import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatTable } from '../format-table.js';

interface UsageOptions {
  from?: string;
  to?: string;
  by?: string;
  key?: string;
  model?: string;
  csv?: boolean;
}

/** `modelport usage`: what the project's keys used, summed, or every ledger row as CSV. */
export function registerUsage(program: Command, io: CliIo): void {
  program
    .command('usage')
    .description(
      'usage of this project: requests, tokens, compute and cost by project, key, model, version or day',
    )
    .option('--from <iso>', 'from this instant (inclusive), e.g. 2026-12-01T00:00:00Z')
    .option('--to <iso>', 'until this instant (exclusive)')
    .option('--by <dims>', 'comma-separated: project, key, model, version, day (default key,model,day)')
    .option('--key <id>', 'only this key')
    .option('--model <name>', 'only this model')
    .option('--csv', 'print every ledger row as CSV instead of sums')
    .action(action(io, showUsage));
}

async function showUsage(ctx: CommandContext, opts: UsageOptions): Promise<void> {
  const range = {
    ...(opts.from === undefined ? {} : { from: opts.from }),
    ...(opts.to === undefined ? {} : { to: opts.to }),
  };
  if (opts.csv) {
    ctx.io.stdout.write(await ctx.client().usage.exportCsv(range));
    return;
  }
  const report = await ctx.client().usage.report({
    ...range,
    ...(opts.by === undefined ? {} : { groupBy: opts.by }),
    ...(opts.key === undefined ? {} : { key: opts.key }),
    ...(opts.model === undefined ? {} : { model: opts.model }),
  });
  ctx.print(report, () =>
    formatTable(
      [
        'PROJECT',
        'DAY',
        'KEY',
        'MODEL',
        'VERSION',
        'REQUESTS',
        'ERRORS',
        'TOKENS IN',
        'TOKENS OUT',
        'COMPUTE S',
        'COST',
      ],
      report.data.map((b) => [
        b.project ?? '*',
        b.day ?? '*',
        b.key ?? '*',
        b.model ?? '*',
        b.version === undefined ? '*' : String(b.version),
        String(b.requests),
        String(b.errors),
        String(b.tokensIn),
        String(b.tokensOut),
        (b.computeMs / 1000).toFixed(2),
        String(Math.round(b.cost * 1e6) / 1e6),
      ]),
    ),
  );
}
