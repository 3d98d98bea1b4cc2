import { type Model, modelTasks } from '@modelport/contracts';
import { type Command, Option } from 'commander';
import { UsageError } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-values.js';
import { parseVersionNumber } from '../option-parsers.js';
import { registerModelsPush } from './models-push.js';
import { registerModelsShow } from './models-show.js';

/** `modelport models …`: the model registry. */
export function registerModels(program: Command, io: CliIo): void {
  const models = program.command('models').description('create, upload and manage models');
  models
    .command('create <name>')
    .description('create an empty model')
    .addOption(new Option('--task <task>', 'what the model does').choices(modelTasks).default('tensor'))
    .option('--description <text>', 'free text shown in listings', '')
    .action(action(io, createModel));
  models.command('list').description('list models').action(action(io, listModels));
  registerModelsShow(models, io);
  registerModelsPush(models, io);
  models
    .command('alias')
    .description('point an alias (e.g. production) at a version')
    .argument('<name>', 'model name')
    .argument('<alias>', 'alias name, e.g. production')
    .argument('<version>', 'version number', parseVersionNumber)
    .action(action(io, setAlias));
  models
    .command('rm <name>')
    .description('delete a model with all its versions and aliases')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(action(io, removeModel));
}

async function createModel(
  ctx: CommandContext,
  name: string,
  opts: { task: Model['task']; description: string },
): Promise<void> {
  const model = await ctx.client().models.create({ name, task: opts.task, description: opts.description });
  ctx.print(model, () => `created model ${model.name} (task ${model.task})`);
}

async function listModels(ctx: CommandContext): Promise<void> {
  const models = await ctx.client().models.list();
  ctx.print(models, () => {
    if (models.length === 0) return 'no models yet: create one with `modelport models create <name>`';
    const rows = models.map((m) => [
      m.name,
      m.task,
      m.latestVersion === null ? '-' : String(m.latestVersion),
      formatAliases(m.aliases) || '-',
      formatTime(m.createdAt),
      m.description,
    ]);
    return formatTable(['NAME', 'TASK', 'LATEST', 'ALIASES', 'CREATED', 'DESCRIPTION'], rows);
  });
}

export function formatAliases(aliases: Model['aliases']): string {
  return Object.entries(aliases)
    .map(([alias, version]) => `${alias}→${version}`)
    .join(', ');
}

async function setAlias(ctx: CommandContext, name: string, alias: string, version: number): Promise<void> {
  const result = await ctx.client().aliases.set(name, alias, version);
  ctx.print(result, () => `${result.model}@${result.alias} → version ${result.version}`);
}

async function removeModel(ctx: CommandContext, name: string, opts: { yes?: boolean }): Promise<void> {
  if (!opts.yes) {
    if (!ctx.io.confirm)
      throw new UsageError(`refusing to delete '${name}' without --yes (no terminal to ask)`);
    if (!(await ctx.io.confirm(`Delete model '${name}' with all its versions and aliases?`))) {
      ctx.note('not deleted');
      return;
    }
  }
  await ctx.client().models.delete(name);
  ctx.print({ deleted: name }, () => `deleted model ${name}`);
}
