import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { renderDataset } from '../render-dataset.js';

export function registerDatasetsShow(datasets: Command, io: CliIo): void {
  datasets
    .command('show <id>')
    .description(
      'show a dataset and its schema: columns with types and statistics, or classes and image sizes',
    )
    .action(action(io, showDataset));
}

async function showDataset(ctx: CommandContext, id: string): Promise<void> {
  const dataset = await ctx.client().datasets.get(id);
  ctx.print(dataset, () => renderDataset(dataset));
}
