import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { compiledPath } from '../../platform/index.js';
import type { HandoffInput, HandoffMessage } from '../../wire/handoff/index.js';
import type {
  TrainerMessage,
  TrainerWorkerInput,
  TrainingEpoch,
  TrainingResult,
} from '../../wire/training/index.js';
import { checkpointDirOf, checkpointFileOf } from './job-files.js';
import { scoresOf } from './trained-scores.js';
import type {
  TrainedModel,
  WorkerFailure,
  WorkerLauncher,
  WorkerOutcome,
  WorkerReport,
  WorkerTask,
} from './worker-port.js';
import { startWorkerThread, type ThreadEnd, type WorkerThread } from './worker-thread.js';

const TRAINER_ENTRY = '../../trainer/trainer-main.js';
const HANDOFF_ENTRY = '../../trainer/handoff/handoff-main.js';
/** The largest |difference| between the trained model and its ONNX export on the validation rows. */
export const PARITY_TOLERANCE = 1e-4;

/**
 * A job's work in two worker threads: the trainer (epochs, checkpoints, evaluation) and then the
 * hand-off (ONNX export, parity check, serving config). `stop()` terminates whichever runs.
 */
export const launchTraining: WorkerLauncher = (task, report) => {
  let current: WorkerThread<unknown> | null = null;
  let stopped = false;
  const start = <M>(entry: string, data: unknown, onMessage: (m: M) => void, isFinal: (m: M) => boolean) => {
    const thread = startWorkerThread<M>(compiledPath(import.meta.url, entry), data, {
      maxMemoryMb: task.maxMemoryMb,
      onMessage,
      isFinal,
    });
    current = thread as WorkerThread<unknown>;
    return thread;
  };

  async function run(): Promise<WorkerOutcome> {
    const trained = await train(task, report, start);
    if (stopped) return { kind: 'stopped' };
    if (trained.kind !== 'trained') return trained;
    report({ type: 'phase', phase: 'exporting' });
    const handoff: HandoffInput = {
      result: trained.result,
      source: { kind: 'file', format: task.dataset.format, path: task.dataset.path },
      outDir: path.join(task.workDir, 'export'),
      tolerance: PARITY_TOLERANCE,
    };
    const end = await start<HandoffMessage>(
      HANDOFF_ENTRY,
      handoff,
      () => undefined,
      () => true,
    ).ended;
    if (stopped) return { kind: 'stopped' };
    if (end.kind === 'exit') return { kind: 'failed', error: threadFailure('exporting', end, task) };
    const message = end.message;
    if (message.type === 'failed') return { kind: 'failed', error: { ...message.error, param: null } };
    return { kind: 'trained', model: trainedModel(task, trained.result, message) };
  }

  return {
    done: run().catch(
      (err: unknown): WorkerOutcome => ({
        kind: 'failed',
        error: { code: 'training_failed', message: String(err), param: null },
      }),
    ),
    async stop() {
      stopped = true;
      await current?.terminate();
    },
  };
};

type Start = <M>(
  entry: string,
  data: unknown,
  onMessage: (m: M) => void,
  isFinal: (m: M) => boolean,
) => WorkerThread<M>;

type Trained = { kind: 'trained'; result: TrainingResult } | Exclude<WorkerOutcome, { kind: 'trained' }>;

/**
 * Trains, resuming from the last checkpoint when the job ran before and left one; a checkpoint
 * the trainer cannot use (damaged, or of other data) is dropped and training starts over.
 */
async function train(task: WorkerTask, report: (r: WorkerReport) => void, start: Start): Promise<Trained> {
  const checkpointDir = checkpointDirOf(task.workDir);
  const resume = task.resume && existsSync(checkpointFileOf(task.workDir));
  const first = await trainOnce(task, report, start, checkpointDir, resume);
  if (!resume || first.kind !== 'failed' || first.error.code !== 'invalid_checkpoint') return first;
  report({ type: 'log', level: 'warn', message: `${first.error.message}; training starts over` });
  await rm(checkpointDir, { recursive: true, force: true });
  return trainOnce(task, report, start, checkpointDir, false);
}

async function trainOnce(
  task: WorkerTask,
  report: (r: WorkerReport) => void,
  start: Start,
  checkpointDir: string,
  resume: boolean,
): Promise<Trained> {
  const input: TrainerWorkerInput = {
    // Validated as the contract's spec when the job was created; the trainer parses it again.
    spec: task.spec as unknown as TrainerWorkerInput['spec'],
    source: { kind: 'file', format: task.dataset.format, path: task.dataset.path },
    checkpointDir,
    ...(resume ? { resumeFrom: checkpointDir } : {}),
    threads: task.threads,
  };
  const epochs = typeof task.spec.epochs === 'number' ? task.spec.epochs : 0;
  const metric = metricOf(task.spec);
  const onMessage = (m: TrainerMessage) => {
    if (m.type === 'epoch') report({ type: 'epoch', epoch: epochMetrics(m.epoch), epochs, metric });
    else if (m.type === 'log') report({ type: 'log', level: m.level, message: m.message });
  };
  const final = (m: TrainerMessage) => m.type === 'done' || m.type === 'failed';
  const end: ThreadEnd<TrainerMessage> = await start<TrainerMessage>(TRAINER_ENTRY, input, onMessage, final)
    .ended;
  if (end.kind === 'exit') return { kind: 'failed', error: threadFailure('training', end, task) };
  const { message } = end;
  if (message.type === 'done') return { kind: 'trained', result: message.result };
  if (message.type === 'failed') {
    if (message.error.code === 'training_cancelled') return { kind: 'stopped' };
    return { kind: 'failed', error: { ...message.error, param: message.error.param ?? null } };
  }
  return {
    kind: 'failed',
    error: { code: 'training_failed', message: 'the trainer ended without a result', param: null },
  };
}

function epochMetrics(e: TrainingEpoch) {
  return {
    epoch: e.epoch,
    loss: e.trainLoss,
    metric: e.trainMetric,
    valLoss: e.valLoss,
    valMetric: e.valMetric,
    durationMs: e.ms,
  };
}

/** The metric the epochs report, when the spec says the task (else the job's own guess stands). */
function metricOf(spec: Record<string, unknown>): 'accuracy' | 'mae' | null {
  if (spec.task === 'regression') return 'mae';
  if (spec.task === 'classification') return 'accuracy';
  return null;
}

function threadFailure(
  phase: string,
  end: ThreadEnd<unknown> & { kind: 'exit' },
  task: WorkerTask,
): WorkerFailure {
  return {
    code: 'training_failed',
    message: end.outOfMemory
      ? `The worker ran out of memory while ${phase} (its heap is bounded at ${task.maxMemoryMb} MB: training.maxWorkerMemoryMb).`
      : `The worker stopped while ${phase}: ${end.why}`,
    param: null,
  };
}

function trainedModel(
  task: WorkerTask,
  result: TrainingResult,
  exported: HandoffMessage & { type: 'exported' },
): TrainedModel {
  return {
    onnxPath: exported.onnxPath,
    parity: exported.parity,
    scores: scoresOf(result),
    serving: exported.serving,
    libraries: { ...exported.libraries },
    seed: typeof task.spec.seed === 'number' ? task.spec.seed : null,
  };
}
