import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-values.js';
import { formatVariants, summarizeVariants } from '../format-variants.js';
import { collectVariant, VARIANT_SPEC, type VariantRequest } from '../parse-variant-option.js';

/** `modelport deployments …`: a deployment's variants and their revisions. */
export function registerDeployments(program: Command, io: CliIo): void {
  const deployments = program
    .command('deployments')
    .description("set a deployment's variants and list its revisions");
  deployments
    .command('variants <name>')
    .description('replace the variants and their weights at once (the next revision)')
    .requiredOption('--variant <spec>', `${VARIANT_SPEC} (repeatable)`, collectVariant)
    .action(action(io, setVariants));
  deployments
    .command('revisions <name>')
    .description('list the revisions of a deployment, oldest first (* the one served)')
    .action(action(io, listRevisions));
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
