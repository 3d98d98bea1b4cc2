import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type ModelTask, modelTasks, type VersionConfig } from '@modelport/contracts';
import { ConflictError, type Modelport, type ModelVersion } from '@modelport/sdk';
import { type Command, Option } from 'commander';
import { UsageError } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatBytes, shortSha } from '../format-values.js';
import { parseConfigOption } from '../parse-config-option.js';
import { startUploadProgress } from '../upload-progress.js';

interface PushOptions {
  config?: VersionConfig;
  create?: boolean;
  task?: ModelTask;
  alias?: string;
}

export function registerModelsPush(models: Command, io: CliIo): void {
  models
    .command('push <name> <file>')
    .description('upload a file (ONNX, GGUF or a tar of a model folder) as a new version')
    .option('--config <json|@file>', 'version config as JSON, or @path to a JSON file', parseConfigOption)
    .option('--create', 'create the model first if it does not exist')
    .addOption(new Option('--task <task>', 'task of the model made by --create').choices(modelTasks))
    .option('--alias <alias>', 'point this alias (e.g. production) at the new version')
    .action(action(io, pushVersion));
}

async function pushVersion(
  ctx: CommandContext,
  name: string,
  file: string,
  opts: PushOptions,
): Promise<void> {
  if (opts.task !== undefined && !opts.create) throw new UsageError('--task only applies with --create');
  const size = await fileSize(file);
  const client = ctx.client();
  if (opts.create) await ensureModel(ctx, client, name, opts.task);
  const progress = startUploadProgress(ctx.io, `${name} ${path.basename(file)}`, size);
  let version: ModelVersion;
  try {
    version = await client.versions.upload(name, file, {
      ...(opts.config === undefined ? {} : { config: opts.config }),
      fileName: path.basename(file),
      onProgress: (sent) => progress.update(sent),
    });
  } finally {
    progress.stop();
  }
  if (opts.alias !== undefined) {
    await client.aliases.set(name, opts.alias, version.version);
    version = await client.versions.get(name, version.version);
  }
  const pushed = version;
  ctx.print(pushed, () => {
    const line = `pushed ${name}:${pushed.version} (${pushed.format}, ${formatBytes(pushed.sizeBytes)}, sha256 ${shortSha(pushed.sha256)})`;
    return opts.alias === undefined ? line : `${line}\n${name}@${opts.alias} → version ${pushed.version}`;
  });
}

async function fileSize(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`${file}: no such file`);
  return info.size;
}

async function ensureModel(
  ctx: CommandContext,
  client: Modelport,
  name: string,
  task: ModelTask | undefined,
) {
  try {
    await client.models.create({ name, ...(task === undefined ? {} : { task }) });
    ctx.note(`created model ${name}`);
  } catch (err) {
    if (!(err instanceof ConflictError && err.code === 'model_already_exists')) throw err;
  }
}
