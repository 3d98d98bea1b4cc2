import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { type DatasetFormat, datasetFormats, NAME_MAX_LENGTH } from '@modelport/contracts';
import type { Dataset } from '@modelport/sdk';
import { type Command, Option } from 'commander';
import * as tar from 'tar';
import { UsageError } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatBytes, shortSha } from '../format-values.js';
import { summaryText } from '../render-dataset.js';
import { startUploadProgress } from '../upload-progress.js';

interface PushOptions {
  name?: string;
  format?: DatasetFormat;
}

export function registerDatasetsPush(datasets: Command, io: CliIo): void {
  datasets
    .command('push <path>')
    .description('upload a CSV or JSON Lines file, a tar (.tar.gz) of image class folders, or such a folder')
    .option('--name <name>', 'dataset name (default: from the file or folder name)')
    .addOption(new Option('--format <format>', 'skip detection').choices(datasetFormats))
    .action(action(io, pushDataset));
}

async function pushDataset(ctx: CommandContext, target: string, opts: PushOptions): Promise<void> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new UsageError(`${target}: no such file or folder`);
  const name = opts.name ?? nameFrom(target);
  const client = ctx.client();
  let dataset: Dataset;
  if (info.isDirectory()) {
    ctx.note(`packing ${target} as a tar`);
    dataset = await client.datasets.push(folderTar(target), { name, format: opts.format ?? 'images' });
  } else {
    const progress = startUploadProgress(ctx.io, `${name} ${path.basename(target)}`, info.size);
    try {
      dataset = await client.datasets.push(target, {
        name,
        ...(opts.format === undefined ? {} : { format: opts.format }),
        onProgress: (sent) => progress.update(sent),
      });
    } finally {
      progress.stop();
    }
  }
  const pushed = dataset;
  ctx.print(
    pushed,
    () =>
      `pushed dataset ${pushed.id} ${pushed.name} (${pushed.format}, ${summaryText(pushed)}, ${formatBytes(pushed.sizeBytes)}, sha256 ${shortSha(pushed.sha256)})`,
  );
}

/**
 * The folder as an uncompressed tar, made while it is sent (images are compressed already). Without
 * owners or times, so the same folder makes the same bytes and is stored once.
 */
function folderTar(folder: string): Readable {
  const absolute = path.resolve(folder);
  const pack = tar.c({ cwd: path.dirname(absolute), portable: true, noMtime: true }, [
    path.basename(absolute),
  ]);
  return Readable.from(pack);
}

/** `My Cars.v2.csv` → `my-cars.v2`: a valid dataset name from a path, or a request for `--name`. */
export function nameFrom(target: string): string {
  const base = path
    .basename(path.resolve(target))
    .replace(/\.(csv|jsonl|ndjson|tar|tgz|tar\.gz)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, NAME_MAX_LENGTH);
  if (base === '') throw new UsageError(`cannot make a dataset name from '${target}': pass --name`);
  return base;
}
