import { type ModelTask, modelTasks, type VersionConfig } from '@modelport/contracts';
import {
  ConflictError,
  type Modelport,
  ModelportError,
  NotFoundError,
  type PullJob,
  type PullPlan,
} from '@modelport/sdk';
import { type Command, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatBytes, shortSha } from '../format-values.js';
import { parsePositiveInteger } from '../option-parsers.js';
import { parseConfigOption } from '../parse-config-option.js';
import { startPullProgress } from '../pull-progress.js';
import { summarizeDeployment } from '../render-deployment.js';

interface PullOptions {
  name?: string;
  task?: ModelTask;
  config?: VersionConfig;
  deploy?: boolean;
  pollMs: number;
}

export function registerPull(program: Command, io: CliIo): void {
  program
    .command('pull <source>')
    .description(
      'pull a model from the Hugging Face Hub (HF_ENDPOINT/HF_TOKEN of the server) as a new version: ' +
        'hf://org/repo[@revision][/path][:quantization]',
    )
    .option('--name <name>', 'the model to add the version to (default: from the repository name)')
    .addOption(
      new Option('--task <task>', 'task of the model when it is created (default: from the Hub)').choices(
        modelTasks,
      ),
    )
    .option('--config <json|@file>', 'version config as JSON, or @path to a JSON file', parseConfigOption)
    .option('--deploy', 'serve the new version once it is registered')
    .option('--poll-ms <ms>', 'how often progress is read', parsePositiveInteger, 500)
    .action(action(io, pull));
}

async function pull(ctx: CommandContext, source: string, opts: PullOptions): Promise<void> {
  const client = ctx.client();
  const plan = await client.pulls.plan(source);
  const name = opts.name ?? plan.suggestedName;
  await ensureModel(ctx, client, name, opts.task ?? plan.task ?? 'tensor');
  const started = await client.pulls.start(name, source, opts.config ? { config: opts.config } : {});
  ctx.note(describePlan(plan, started));
  const progress = startPullProgress(ctx.io, `${name} ← ${plan.repo}`, started.bytesTotal);
  let job: PullJob;
  try {
    job = await client.pulls.wait(started.id, { pollMs: opts.pollMs, onPoll: (p) => progress.update(p) });
  } finally {
    progress.stop();
  }
  if (job.state !== 'succeeded' || job.version === null) throw pullFailure(job);
  const version = await client.versions.get(name, job.version);
  const deployment = opts.deploy ? await deploy(client, name, job.version) : undefined;
  ctx.print({ pull: job, version, ...(deployment ? { deployment } : {}) }, () => {
    const line = `pulled ${name}:${version.version} (${version.format}, ${formatBytes(version.sizeBytes)}, sha256 ${shortSha(version.sha256)}) from ${job.repo}@${job.commit.slice(0, 12)}`;
    return deployment ? `${line}\n${summarizeDeployment(deployment)}` : line;
  });
}

function describePlan(plan: PullPlan, job: PullJob): string {
  const files = plan.files.length === 1 ? plan.files[0]?.path : `${plan.files.length} files`;
  return `pull ${job.id}: ${plan.repo}@${plan.commit.slice(0, 12)}, ${files}, ${formatBytes(plan.bytesTotal)}`;
}

async function ensureModel(
  ctx: CommandContext,
  client: Modelport,
  name: string,
  task: ModelTask,
): Promise<void> {
  try {
    await client.models.get(name);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    try {
      await client.models.create({ name, task });
      ctx.note(`created model ${name} (task ${task})`);
    } catch (createErr) {
      if (!(createErr instanceof ConflictError)) throw createErr;
    }
  }
}

/** A new deployment named after the model, or the existing one swapped to the new version. */
async function deploy(client: Modelport, model: string, version: number) {
  try {
    return await client.deployments.create({ model, version });
  } catch (err) {
    if (!(err instanceof ConflictError && err.code === 'deployment_already_exists')) throw err;
    return client.deployments.update(model, { version });
  }
}

function pullFailure(job: PullJob): ModelportError {
  const code = (job.error?.code ?? 'unknown_error') as ModelportError['code'];
  const message = job.error?.message ?? `The pull ended ${job.state}.`;
  return new ModelportError({ code, message: `pull ${job.id} ${job.state}: ${message}` });
}
