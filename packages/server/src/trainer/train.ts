import { type TrainingSpec, trainingSpecSchema } from '@modelport/contracts';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { DatasetFrame } from '../formats/index.js';
import { AppError, parseOrThrow } from '../platform/errors/index.js';
import type { TrainingEpoch, TrainingResult } from '../wire/training/index.js';
import { evaluateModel, heldOutRows } from './evaluate/evaluate-model.js';
import { jobFingerprint } from './job-fingerprint.js';
import { gatherInputs } from './loop/batch-tensors.js';
import { writeCheckpoint } from './loop/checkpoint-file.js';
import { runLoop } from './loop/fit-loop.js';
import { freshProgress, type LoopProgress } from './loop/loop-progress.js';
import { type RunState, resumeFrom, snapshot } from './loop/resume.js';
import { buildModel } from './model/build-model.js';
import { chooseLoss, outputKind } from './model/choose-loss.js';
import { compileModel } from './model/compile-model.js';
import { makeOptimizer } from './model/make-optimizer.js';
import { modelArtifacts } from './model/model-artifacts.js';
import type { OutputKind } from './model/output-kind.js';
import { predictRows } from './model/predict-rows.js';
import { defaultLayers, presetLayers } from './model/presets.js';
import { prepareData } from './preprocess/prepare-data.js';
import type { PreparedData } from './preprocess/prepared-data.js';
import { SeededRandom } from './seeded-random.js';
import { type TrainingBackend, useTrainingBackend } from './tf/tf-backend.js';
import { specError } from './training-errors.js';

export interface TrainOptions {
  /** Where to write a checkpoint after every epoch; none without it. */
  readonly checkpointDir?: string | undefined;
  /** A checkpoint directory of an earlier run of the same job: go on after its last epoch. */
  readonly resumeFrom?: string | undefined;
  /** Cancels between batches (rejects with `training_cancelled`). */
  readonly signal?: AbortSignal | undefined;
  /** The CPU budget (image decoding; the wasm backend itself computes on one thread in Node). */
  readonly threads?: number | undefined;
  /** Default wasm, falling back to cpu when it cannot run. */
  readonly backend?: TrainingBackend | undefined;
  readonly onEpoch?: ((epoch: TrainingEpoch) => void) | undefined;
  readonly onLog?: ((level: 'info' | 'warn', message: string) => void) | undefined;
  /** Monotonic milliseconds, for epoch times and the time budget; default `performance.now`. */
  readonly now?: (() => number) | undefined;
}

/**
 * Trains one job: parse the specification, prepare the data, build and fit the model, evaluate it
 * on held-out rows against a baseline, and hand back everything serving and export need.
 */
export async function train(
  specInput: unknown,
  frame: DatasetFrame,
  options: TrainOptions = {},
): Promise<TrainingResult> {
  const spec = parseOrThrow(trainingSpecSchema, specInput, 'training specification');
  if (spec.earlyStopping && spec.preprocessing.split.validation === 0) {
    throw specError('needs a validation split (preprocessing.split.validation > 0)', 'earlyStopping');
  }
  const log = options.onLog ?? (() => {});
  const threads = options.threads ?? 1;
  const choice = await useTrainingBackend(options.backend ?? 'wasm', threads);
  for (const note of choice.notes) log('warn', note);
  const data = await prepareData(spec, frame, threads);
  if (options.signal?.aborted) throw new AppError('training_cancelled');
  const { train: t, validation: v, test: s } = data.split;
  log(
    'info',
    `${t.length + v.length + s.length} rows (${t.length} train, ${v.length} validation, ${s.length} test) on ${choice.backend}`,
  );
  const { layers, output, loss } = modelPlan(spec, data);
  const model = buildModel(layers, data.inputShape, spec.seed, 'model.layers');
  const optimizer = makeOptimizer(spec.optimizer);
  const metric = output.kind === 'value' ? 'mae' : 'accuracy';
  compileModel(model, optimizer, loss, metric, choice.backend);
  try {
    const run: RunState = {
      model,
      optimizer,
      random: new SeededRandom(spec.seed ^ 0x5bd1e995),
      fingerprint: jobFingerprint(spec, data),
    };
    const start = options.resumeFrom
      ? await resumeFrom(options.resumeFrom, run, spec.epochs)
      : freshProgress();
    if (start.epoch > 0) log('info', `resumed after epoch ${start.epoch}`);
    const dir = options.checkpointDir;
    const progress = await runLoop({ model, data, spec, metric, random: run.random }, start, {
      signal: options.signal,
      now: options.now ?? (() => performance.now()),
      onEpoch: options.onEpoch,
      checkpoint: dir === undefined ? undefined : async (p) => writeCheckpoint(dir, await snapshot(run, p)),
    });
    return {
      ...(await results(model, data, output, spec)),
      history: progress.history,
      metric,
      loss,
      stoppedBy: progress.finished ?? 'completed',
      bestEpoch: heldEpoch(spec, progress),
      backend: choice.backend,
    };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

function modelPlan(spec: TrainingSpec, data: PreparedData) {
  const outputs = { task: data.state.task, classes: data.state.classes?.length ?? 0 };
  const imageInput = data.state.kind === 'image';
  const layers = spec.model?.preset
    ? presetLayers(spec.model.preset, outputs, imageInput)
    : (spec.model?.layers ?? defaultLayers(outputs, imageInput));
  const output = outputKind(layers, outputs, 'model.layers');
  return { layers, output, loss: chooseLoss(spec.loss, output) };
}

async function results(model: tfl.Sequential, data: PreparedData, output: OutputKind, spec: TrainingSpec) {
  const held = heldOutRows(data);
  const evaluation = evaluateModel(
    data,
    output,
    await predictRows(model, data, held.rows, spec.batchSize),
    held,
  );
  const rows = data.split.validation;
  const validation = {
    rows: rows.map((r) => data.frameRows[r] as number),
    inputs: gatherInputs(data, rows),
    outputs: await predictRows(model, data, rows, spec.batchSize),
  };
  return {
    model: await modelArtifacts(model, data.inputShape),
    preprocessing: data.state,
    evaluation,
    validation,
  };
}

/** The epoch whose weights the model ends with. */
function heldEpoch(spec: TrainingSpec, progress: LoopProgress): number {
  return spec.earlyStopping?.restoreBest && progress.bestWeights ? progress.early.bestEpoch : progress.epoch;
}
