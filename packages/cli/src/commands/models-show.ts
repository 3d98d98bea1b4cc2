import type { Model, ModelVersion } from '@modelport/sdk';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatTable } from '../format-table.js';
import { formatBytes, formatTime, shortSha } from '../format-values.js';
import { metadataSummary } from '../metadata-summary.js';
import { formatAliases } from './models.js';

export function registerModelsShow(models: Command, io: CliIo): void {
  models
    .command('show <name>')
    .description('show a model and its versions (format, size, checksum, aliases, inputs/outputs)')
    .action(action(io, showModel));
}

async function showModel(ctx: CommandContext, name: string): Promise<void> {
  const client = ctx.client();
  const [model, versions] = await Promise.all([client.models.get(name), client.versions.list(name)]);
  ctx.print({ model, versions }, () => renderModel(model, versions));
}

function renderModel(model: Model, versions: ModelVersion[]): string {
  const header = formatTable(
    ['', ''],
    [
      ['task:', model.task],
      ['description:', model.description || '-'],
      ['created:', formatTime(model.createdAt)],
      ['latest:', model.latestVersion === null ? '-' : String(model.latestVersion)],
      ['aliases:', formatAliases(model.aliases) || '-'],
    ],
  );
  const lines = [
    `model ${model.name}`,
    ...header
      .split('\n')
      .slice(1)
      .map((l) => `  ${l}`),
    '',
  ];
  if (versions.length === 0)
    return [...lines, 'no versions yet: upload one with `modelport models push`'].join('\n');
  const rows = versions.map((v) => [
    String(v.version),
    v.format,
    formatBytes(v.sizeBytes),
    shortSha(v.sha256),
    v.aliases.join(', ') || '-',
    formatTime(v.createdAt),
  ]);
  lines.push(formatTable(['VERSION', 'FORMAT', 'SIZE', 'SHA256', 'ALIASES', 'CREATED'], rows), '');
  for (const v of versions) {
    const summary = metadataSummary(v);
    if (summary) lines.push(`v${v.version}  ${summary}`);
  }
  return lines.join('\n');
}
