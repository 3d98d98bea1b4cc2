import type { Command } from 'commander';
import { UsageError } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatTable } from '../format-table.js';
import { formatBytes, formatTime, shortSha } from '../format-values.js';
import { summaryText } from '../render-dataset.js';
import { registerDatasetsPush } from './datasets-push.js';
import { registerDatasetsShow } from './datasets-show.js';

/** `modelport datasets …`: tables and image folders to train on. */
export function registerDatasets(program: Command, io: CliIo): void {
  const datasets = program
    .command('datasets')
    .description('upload and inspect datasets (CSV, JSON Lines, image folders)');
  registerDatasetsPush(datasets, io);
  datasets
    .command('list')
    .description("list the project's datasets, newest first")
    .action(action(io, listDatasets));
  registerDatasetsShow(datasets, io);
  datasets
    .command('rm <id>')
    .description('delete a dataset')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(action(io, removeDataset));
}

async function listDatasets(ctx: CommandContext): Promise<void> {
  const datasets = await ctx.client().datasets.list();
  ctx.print(datasets, () => {
    if (datasets.length === 0)
      return 'no datasets yet: upload one with `modelport datasets push <file|folder>`';
    const rows = datasets.map((d) => [
      d.id,
      d.name,
      d.format,
      summaryText(d),
      formatBytes(d.sizeBytes),
      shortSha(d.sha256),
      formatTime(d.createdAt),
    ]);
    return formatTable(['ID', 'NAME', 'FORMAT', 'CONTENT', 'SIZE', 'SHA256', 'CREATED'], rows);
  });
}

async function removeDataset(ctx: CommandContext, id: string, opts: { yes?: boolean }): Promise<void> {
  if (!opts.yes) {
    if (!ctx.io.confirm)
      throw new UsageError(`refusing to delete '${id}' without --yes (no terminal to ask)`);
    if (!(await ctx.io.confirm(`Delete dataset '${id}'?`))) {
      ctx.note('not deleted');
      return;
    }
  }
  await ctx.client().datasets.delete(id);
  ctx.print({ deleted: id }, () => `deleted dataset ${id}`);
}
