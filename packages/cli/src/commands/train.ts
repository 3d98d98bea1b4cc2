import { modelPresets, type TrainingJob, trainingJobStates, trainingTasks } from '@modelport/contracts';
import { type Command, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { followTraining } from '../follow-training.js';
import { parseNonNegative, parsePageSize, parsePositiveInteger } from '../option-parsers.js';
import { renderJob, renderJobList, renderResult, summarizeJob } from '../render-training-job.js';
import { type TrainOptions, trainingRequestFrom } from '../training-request.js';

/** `modelport train …`: train a model on a dataset on the server, follow it, list and cancel jobs. */
export function registerTrain(program: Command, io: CliIo): void {
  const train = program
    .command('train')
    .description(
      'train a model on a dataset (export to ONNX, register, deploy if asked); list, show, cancel, register, logs',
    )
    .option('--spec <file>', 'the job as JSON (a file, or inline {…}); the flags below replace its fields')
    .option('--dataset <id>', 'the dataset to train on')
    .option('--target <column>', 'the column to predict (tables)')
    .addOption(new Option('--preset <preset>', 'the model').choices(modelPresets))
    .addOption(new Option('--task <task>', 'default: from the target column').choices(trainingTasks))
    .option('--epochs <n>', 'epochs to train (default 20)', parsePositiveInteger)
    .option('--batch-size <n>', 'rows per step (default 32)', parsePositiveInteger)
    .option('--learning-rate <lr>', "the optimizer's step size", parseNonNegative)
    .option('--seed <n>', 'seed of weights, shuffles and dropout (default 42)', parseNonNegative)
    .option('--name <model>', 'the model to register the version into (default: the dataset name)')
    .option('--deploy [deployment]', 'deploy the new version (default deployment: the model name)')
    .option('--canary <percent>', 'with --deploy: roll it out as a canary of this share', parseNonNegative)
    .option('--bake <seconds>', 'with --canary: how long the canary is watched', parseNonNegative)
    .option('--follow', 'follow it: a progress bar and the loss of each epoch, until it ends')
    // `train logs <job> --follow` is the subcommand's option, not this command's.
    .enablePositionalOptions()
    .action(action(io, startTraining));
  train
    .command('list')
    .description("list the project's training jobs, newest first")
    .addOption(new Option('--state <state>', 'only jobs in this state').choices(trainingJobStates))
    .option('--limit <n>', 'at most this many (1 to 200)', parsePageSize)
    .action(action(io, listJobs));
  train
    .command('show <job>')
    .description('show a job: state, every epoch, the result against the baseline, or the error')
    .action(action(io, showJob));
  train
    .command('cancel <job>')
    .description('cancel a job: its worker stops and its files are removed')
    .action(action(io, cancelJob));
  train
    .command('register <job>')
    .description('register the model of a job that succeeded with register: false as a version')
    .option('--model <name>', "the model to register it into (default: the job's model)")
    .action(action(io, registerJob));
  train
    .command('logs <job>')
    .description("print a job's log lines")
    .option('--follow', 'keep printing new lines until the job ends')
    .action(action(io, printLogs));
}

async function startTraining(ctx: CommandContext, opts: TrainOptions & { follow?: boolean }): Promise<void> {
  const client = ctx.client();
  const defaultName =
    opts.name === undefined && opts.dataset !== undefined
      ? (await client.datasets.get(opts.dataset)).name
      : undefined;
  const job = await client.training.jobs.create(trainingRequestFrom(opts, defaultName));
  if (!opts.follow) {
    ctx.print(job, () => `queued ${summarizeJob(job)}`);
    ctx.note(`follow it with: modelport train logs ${job.id} --follow (or modelport train show ${job.id})`);
    return;
  }
  ctx.note(`training job ${job.id}: ${job.name} on dataset ${job.dataset}`);
  const ended = await followTraining(ctx, client, job);
  ctx.print(ended, () =>
    [summarizeJob(ended), ...(ended.result ? [renderResult(ended.result)] : [])].join('\n'),
  );
  failUnlessSucceeded(ended);
}

function failUnlessSucceeded(job: TrainingJob): void {
  if (job.state === 'succeeded') return;
  const why = job.error ? `: ${job.error.code}: ${job.error.message}` : '';
  throw new Error(`training job ${job.id} ended ${job.state}${why}`);
}

async function listJobs(ctx: CommandContext, opts: { state?: TrainingJob['state']; limit?: number }) {
  const jobs = await ctx.client().training.jobs.list({
    ...(opts.state ? { state: opts.state } : {}),
    ...(opts.limit ? { limit: opts.limit } : {}),
  });
  ctx.print(jobs, () => renderJobList(jobs));
}

async function showJob(ctx: CommandContext, id: string): Promise<void> {
  const job = await ctx.client().training.jobs.get(id);
  ctx.print(job, () => renderJob(job));
}

async function cancelJob(ctx: CommandContext, id: string): Promise<void> {
  const job = await ctx.client().training.jobs.cancel(id);
  ctx.print(job, () =>
    job.state === 'cancelled' ? `cancelled ${job.id}` : `cancelling ${job.id} (it stops within seconds)`,
  );
}

async function registerJob(ctx: CommandContext, id: string, opts: { model?: string }): Promise<void> {
  const version = await ctx
    .client()
    .training.jobs.register(id, opts.model === undefined ? {} : { model: opts.model });
  ctx.print(version, () => `registered ${version.model}:${version.version} (sha256 ${version.sha256})`);
}

async function printLogs(ctx: CommandContext, id: string, opts: { follow?: boolean }): Promise<void> {
  const client = ctx.client();
  if (!opts.follow) {
    const lines = await client.training.jobs.logs(id);
    ctx.print(lines, () => lines.map((l) => `${l.at} ${l.level.padEnd(5)} ${l.message}`).join('\n'));
    return;
  }
  for await (const event of client.training.jobs.events(id)) {
    if (event.type === 'log') ctx.io.stdout.write(`${event.at} ${event.level.padEnd(5)} ${event.message}\n`);
    if (event.type === 'end') ctx.note(`job ${id} ended ${event.state}`);
  }
}
