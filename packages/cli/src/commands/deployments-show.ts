import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { renderDeployment } from '../render-deployment.js';
import { renderShadows } from '../render-shadows.js';

export function registerDeploymentsShow(deployments: Command, io: CliIo): void {
  deployments
    .command('show <name>')
    .description('show a deployment: its variants and their share, its instances, the rollout in progress')
    .action(action(io, showDeployment));
}

export function registerDeploymentsShadows(deployments: Command, io: CliIo): void {
  deployments
    .command('shadows <name>')
    .description(
      'compare each shadow variant with production: copies sent, dropped and failed, latencies, outputs',
    )
    .action(action(io, showShadows));
}

async function showDeployment(ctx: CommandContext, name: string): Promise<void> {
  const deployment = await ctx.client().deployments.get(name);
  ctx.print(deployment, () => renderDeployment(deployment));
}

async function showShadows(ctx: CommandContext, name: string): Promise<void> {
  const reports = await ctx.client().deployments.shadows(name);
  ctx.print(reports, () =>
    reports.length === 0
      ? `no shadow variants in the revision ${name} serves: add one beside the production variants with \`modelport deployments variants ${name} --variant …,weight=0,role=shadow,sampling=10\``
      : renderShadows(reports),
  );
}
