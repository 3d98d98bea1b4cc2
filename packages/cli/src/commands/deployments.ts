import type { Command } from 'commander';
import { UsageError } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import {
  needsCurrentSettings,
  type UpdateDeploymentOptions,
  updateDeploymentRequestFrom,
} from '../deployment-request.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-values.js';
import { formatVariants, summarizeVariants } from '../format-variants.js';
import { parseNameList, parseNonNegative, parsePositiveInteger, parseVersionRef } from '../option-parsers.js';
import { collectVariant, VARIANT_SPEC, type VariantRequest } from '../parse-variant-option.js';
import { renderDeploymentList, summarizeDeployment } from '../render-deployment.js';
import { registerDeploymentsCreate } from './deployments-create.js';
import { registerDeploymentsShadows, registerDeploymentsShow } from './deployments-show.js';

/** `modelport deployments …`: serving model versions, their variants, revisions and shadows. */
export function registerDeployments(program: Command, io: CliIo): void {
  const deployments = program
    .command('deployments')
    .description('serve model versions: create, scale, split into variants, compare shadows');
  deployments.command('list').description('list deployments').action(action(io, listDeployments));
  registerDeploymentsShow(deployments, io);
  registerDeploymentsCreate(deployments, io);
  deployments
    .command('update <name>')
    .description(
      'swap the version, change instances, autoscaling, fallbacks or failover (no request dropped)',
    )
    .option('--version <n|alias>', 'a version number or alias to serve', parseVersionRef)
    .option('--instances <n>', 'runner processes (one variant; else see `variants`)', parsePositiveInteger)
    .option(
      '--min-instances <n>',
      'autoscaling: fewest instances per variant (0: scale to zero)',
      parseNonNegative,
    )
    .option('--max-instances <n>', 'autoscaling: most instances per variant', parsePositiveInteger)
    .option('--target-concurrency <n>', 'autoscaling: requests in flight per instance', parseNonNegative)
    .option(
      '--scale-to-zero-after <s>',
      'autoscaling: idle seconds before stopping at min 0',
      parseNonNegative,
    )
    .option(
      '--max-held-requests <n>',
      'autoscaling: requests held while starting from zero',
      parsePositiveInteger,
    )
    .option('--no-autoscaling', 'stop autoscaling: fixed instances again')
    .option('--fallbacks <names>', 'replace the fallbacks, in order, e.g. backup,backup-2', parseNameList)
    .option('--no-fallbacks', 'remove every fallback')
    .option(
      '--failure-threshold <n>',
      'failover: failures within the window that cool it down',
      parsePositiveInteger,
    )
    .option('--failure-window <s>', 'failover: seconds failures are counted over', parseNonNegative)
    .option('--cool-down <s>', 'failover: seconds it is skipped by chains once cooled down', parseNonNegative)
    .action(action(io, updateDeployment));
  deployments
    .command('delete <name>')
    .alias('rm')
    .description('stop serving (queued requests finish first)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(action(io, deleteDeployment));
  deployments
    .command('variants <name>')
    .description('replace the variants and their weights at once (the next revision)')
    .requiredOption('--variant <spec>', `${VARIANT_SPEC} (repeatable)`, collectVariant)
    .action(action(io, setVariants));
  deployments
    .command('revisions <name>')
    .description('list the revisions of a deployment, oldest first (* the one served)')
    .action(action(io, listRevisions));
  registerDeploymentsShadows(deployments, io);
}

async function listDeployments(ctx: CommandContext): Promise<void> {
  const deployments = await ctx.client().deployments.list();
  ctx.print(deployments, () =>
    deployments.length === 0
      ? 'no deployments yet: serve a model with `modelport deployments create <model>`'
      : renderDeploymentList(deployments),
  );
}

async function updateDeployment(
  ctx: CommandContext,
  name: string,
  opts: UpdateDeploymentOptions,
): Promise<void> {
  // A lone `--no-autoscaling` makes Commander default `autoscaling` to true: only `false` means anything.
  const { autoscaling, ...rest } = opts;
  const given: UpdateDeploymentOptions = autoscaling === false ? { ...rest, autoscaling } : rest;
  const current = needsCurrentSettings(given)
    ? (await ctx.client().deployments.get(name)).settings
    : undefined;
  const request = updateDeploymentRequestFrom(given, current);
  const deployment = await ctx.client().deployments.update(name, request);
  ctx.print(deployment, () => summarizeDeployment(deployment));
}

async function deleteDeployment(ctx: CommandContext, name: string, opts: { yes?: boolean }): Promise<void> {
  if (!opts.yes) {
    if (!ctx.io.confirm)
      throw new UsageError(`refusing to delete '${name}' without --yes (no terminal to ask)`);
    if (!(await ctx.io.confirm(`Stop serving deployment '${name}'? Its endpoint stops answering.`))) {
      ctx.note('not deleted');
      return;
    }
  }
  await ctx.client().deployments.delete(name);
  ctx.print({ deleted: name }, () => `deleted deployment ${name}`);
}

async function setVariants(
  ctx: CommandContext,
  name: string,
  opts: { variant: VariantRequest[] },
): Promise<void> {
  const deployment = await ctx.client().deployments.setVariants(name, { variants: opts.variant });
  ctx.print(deployment, () =>
    [
      `deployment ${deployment.name} serves revision ${deployment.revision}`,
      formatVariants(deployment.variants),
    ].join('\n'),
  );
}

async function listRevisions(ctx: CommandContext, name: string): Promise<void> {
  const client = ctx.client();
  const [deployment, revisions] = await Promise.all([
    client.deployments.get(name),
    client.deployments.revisions(name),
  ]);
  ctx.print(revisions, () =>
    formatTable(
      ['REVISION', 'CREATED', 'VARIANTS'],
      revisions.map((r) => [
        `${r.revision}${r.revision === deployment.revision ? ' *' : ''}`,
        formatTime(r.createdAt),
        summarizeVariants(r.variants),
      ]),
    ),
  );
}
