import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { type CreateDeploymentOptions, createDeploymentRequestFrom } from '../deployment-request.js';
import {
  parseNameList,
  parseNonNegative,
  parseNumberList,
  parsePositiveInteger,
  parseVersionRef,
} from '../option-parsers.js';
import { parseJsonObject } from '../parse-json-option.js';
import { summarizeDeployment } from '../render-deployment.js';

export function registerDeploymentsCreate(deployments: Command, io: CliIo): void {
  deployments
    .command('create <model>')
    .description(
      "serve a version of a model (returns once its instances are ready; name defaults to the model's)",
    )
    .option('--name <name>', "the deployment's name (default: the model's)")
    .option('--version <n|alias>', 'a version number or alias (default: the latest)', parseVersionRef)
    .option('--instances <n>', 'runner processes (default 1)', parsePositiveInteger)
    .option(
      '--threads <n>',
      'intra-op threads per instance (default: from the CPU budget)',
      parsePositiveInteger,
    )
    .option(
      '--isolation <process|thread>',
      'where each instance runs: its own process (default) or a thread of the server (docs/runner-protocol.md)',
    )
    .option('--max-batch-size <n>', 'rows merged into one run (default 1: no batching)', parsePositiveInteger)
    .option('--max-queue-delay-ms <ms>', 'how long a batch waits to fill (default 0)', parseNonNegative)
    .option(
      '--preferred-batch-sizes <list>',
      'batch sizes to run at when possible, e.g. 4,8',
      parseNumberList,
    )
    .option(
      '--max-queue-size <n>',
      'requests waiting per instance before 503 (default 256)',
      parsePositiveInteger,
    )
    .option('--timeout-ms <ms>', 'time a request may queue and run (default 30000)', parsePositiveInteger)
    .option('--context-size <tokens>', 'GGUF: context size', parsePositiveInteger)
    .option('--parallel <n>', 'GGUF: sequences decoded together (default 4)', parsePositiveInteger)
    .option('--llm-batch-size <n>', 'GGUF: tokens per decode batch', parsePositiveInteger)
    .option(
      '--options <json|@file>',
      'backend options as a JSON object, e.g. {"executionProviders":["cpu"]}',
      (v) => parseJsonObject(v, '--options'),
    )
    .option(
      '--min-instances <n>',
      'autoscaling: fewest instances per variant (0: scale to zero)',
      parseNonNegative,
    )
    .option('--max-instances <n>', 'autoscaling: most instances per variant', parsePositiveInteger)
    .option(
      '--target-concurrency <n>',
      'autoscaling: requests in flight per instance to aim at',
      parseNonNegative,
    )
    .option(
      '--scale-to-zero-after <s>',
      'autoscaling: idle seconds before a deployment at min 0 stops',
      parseNonNegative,
    )
    .option(
      '--max-held-requests <n>',
      'autoscaling: requests held while it starts from zero',
      parsePositiveInteger,
    )
    .option(
      '--fallbacks <names>',
      'deployments that take what this one fails, in order, e.g. backup,backup-2',
      parseNameList,
    )
    .action(action(io, createDeployment));
}

async function createDeployment(
  ctx: CommandContext,
  model: string,
  opts: CreateDeploymentOptions,
): Promise<void> {
  const request = createDeploymentRequestFrom(model, opts);
  const deployment = await ctx.client().deployments.create(request);
  ctx.print(deployment, () => summarizeDeployment(deployment));
}
