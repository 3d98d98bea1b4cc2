import type { TrainingSpec } from '@modelport/contracts';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { AppError } from '../../platform/errors/index.js';
import type { TrainingEpoch, TrainingMetricName } from '../../wire/training/index.js';
import type { PreparedData } from '../preprocess/prepared-data.js';
import type { SeededRandom } from '../seeded-random.js';
import { specError } from '../training-errors.js';
import { batchTensors } from './batch-tensors.js';
import { reseedDropout } from './dropout-seeds.js';
import { observeEpoch } from './early-stopping.js';
import { evaluateBatches, holdRows } from './evaluate-batches.js';
import type { LoopProgress } from './loop-progress.js';

export interface LoopHooks {
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds, monotonic. */
  readonly now: () => number;
  readonly onEpoch?: ((epoch: TrainingEpoch) => void) | undefined;
  /** Called after every epoch, before the next starts. */
  readonly checkpoint?: ((progress: LoopProgress) => Promise<void>) | undefined;
}

export interface Loop {
  readonly model: tfl.Sequential;
  readonly data: PreparedData;
  readonly spec: TrainingSpec;
  readonly metric: TrainingMetricName;
  readonly random: SeededRandom;
}

/**
 * Epochs of seeded shuffles and `trainOnBatch`, from `progress.epoch + 1` on; between batches it
 * honours the abort signal (the job's cancel) and the time budget. Each epoch is reported, judged
 * for early stopping and checkpointed. Ends with `progress.finished` set and, when early stopping
 * restores, the best epoch's weights in the model.
 */
export async function runLoop(loop: Loop, progress: LoopProgress, hooks: LoopHooks): Promise<LoopProgress> {
  const { spec, data } = loop;
  const validation = data.split.validation.length > 0 ? holdRows(data, data.split.validation) : null;
  const started = hooks.now();
  const elapsedBefore = progress.elapsedMs;
  const elapsed = () => elapsedBefore + hooks.now() - started;
  while (progress.finished === null && progress.epoch < spec.epochs) {
    const epochStart = hooks.now();
    const train = await trainEpoch(loop, hooks, elapsed);
    progress.elapsedMs = elapsed();
    if (train === 'out_of_time') {
      progress.finished = 'time_budget';
      break;
    }
    const epoch = progress.epoch + 1;
    const [valLoss, valMetric] = validation
      ? evaluateBatches(loop.model, data, validation, spec.batchSize)
      : [null, null];
    const report: TrainingEpoch = { epoch, ...train, valLoss, valMetric, ms: hooks.now() - epochStart };
    if (![report.trainLoss, valLoss ?? 0].every(Number.isFinite)) {
      throw specError(
        `the loss is not a finite number after epoch ${epoch}: lower the learning rate`,
        'optimizer.learningRate',
      );
    }
    progress.epoch = epoch;
    progress.history.push(report);
    judge(loop, progress, report);
    if (progress.finished === null && epoch === spec.epochs) progress.finished = 'completed';
    hooks.onEpoch?.(report);
    await hooks.checkpoint?.(progress);
  }
  progress.finished ??= 'completed';
  if (spec.earlyStopping?.restoreBest && progress.bestWeights)
    restoreWeights(loop.model, progress.bestWeights);
  return progress;
}

async function trainEpoch(
  loop: Loop,
  hooks: LoopHooks,
  elapsed: () => number,
): Promise<{ trainLoss: number; trainMetric: number } | 'out_of_time'> {
  const { spec, data, model, random } = loop;
  const order = random.shuffle([...data.split.train]);
  const budgetMs =
    spec.timeBudgetSeconds === undefined ? Number.POSITIVE_INFINITY : spec.timeBudgetSeconds * 1000;
  let lossSum = 0;
  let metricSum = 0;
  for (let start = 0; start < order.length; start += spec.batchSize) {
    if (hooks.signal?.aborted) throw new AppError('training_cancelled');
    if (elapsed() >= budgetMs) return 'out_of_time';
    const rows = order.slice(start, start + spec.batchSize);
    reseedDropout(model, random);
    const { x, y } = batchTensors(data, rows);
    try {
      const [loss, metric] = (await model.trainOnBatch(x, y)) as number[];
      lossSum += (loss as number) * rows.length;
      metricSum += (metric as number) * rows.length;
    } finally {
      tf.dispose([x, y]);
    }
  }
  return { trainLoss: lossSum / order.length, trainMetric: metricSum / order.length };
}

/** Early stopping: track the best epoch (and its weights when they are to be restored). */
function judge(loop: Loop, progress: LoopProgress, report: TrainingEpoch): void {
  const config = loop.spec.earlyStopping;
  if (!config) return;
  const watched = config.metric === 'valLoss' ? report.valLoss : report.valMetric;
  if (watched === null) return;
  const higherIsBetter = config.metric === 'valMetric' && loop.metric === 'accuracy';
  const verdict = observeEpoch(progress.early, watched, report.epoch, config, higherIsBetter);
  progress.early = verdict.state;
  if (verdict.improved && config.restoreBest) progress.bestWeights = readWeights(loop.model);
  if (verdict.stop) progress.finished = 'early_stopping';
}

export function readWeights(model: tfl.Sequential): Float32Array[] {
  return model
    .getWeights()
    .map((w) => w.dataSync() as Float32Array)
    .map((v) => v.slice());
}

export function restoreWeights(model: tfl.Sequential, values: readonly Float32Array[]): void {
  const current = model.getWeights();
  const tensors = current.map((w, i) => tf.tensor(values[i] as Float32Array, w.shape));
  model.setWeights(tensors);
  tf.dispose(tensors);
}
