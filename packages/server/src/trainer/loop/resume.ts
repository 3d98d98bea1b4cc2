import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { AppError } from '../../platform/errors/index.js';
import type { SeededRandom } from '../seeded-random.js';
import { type Checkpoint, readCheckpoint, type StoredTensor } from './checkpoint-file.js';
import { readWeights, restoreWeights } from './fit-loop.js';
import type { LoopProgress } from './loop-progress.js';

export interface RunState {
  readonly model: tfl.Sequential;
  readonly optimizer: tf.Optimizer;
  readonly random: SeededRandom;
  readonly fingerprint: string;
}

/** What to write after an epoch: the model's and optimizer's tensors, the generator, the progress. */
export async function snapshot(run: RunState, progress: LoopProgress): Promise<Checkpoint> {
  const weights = readWeights(run.model).map((values, i): StoredTensor => {
    const w = run.model.weights[i];
    return { name: w?.originalName ?? `weight_${i}`, shape: w?.shape.map(Number) ?? [values.length], values };
  });
  const named = await run.optimizer.getWeights();
  const optimizer = named.map(({ name, tensor }): StoredTensor => {
    const values = Float32Array.from(tensor.dataSync());
    // getWeights hands out the optimizer's own variables and a new scalar for its step count.
    if (!(tensor instanceof tf.Variable)) tensor.dispose();
    return { name, shape: tensor.shape, values };
  });
  const { bestWeights, ...rest } = progress;
  const bestNames = bestWeights?.map((values, i) => ({ ...(weights[i] as StoredTensor), values })) ?? null;
  return {
    ...rest,
    history: [...progress.history],
    fingerprint: run.fingerprint,
    randomState: run.random.state,
    weights,
    optimizer,
    bestWeights: bestNames,
  };
}

/** Loads a checkpoint of this job into the model, optimizer and generator; returns where it stood. */
export async function resumeFrom(dir: string, run: RunState, epochs: number): Promise<LoopProgress> {
  const checkpoint = await readCheckpoint(dir);
  if (checkpoint.fingerprint !== run.fingerprint) {
    throw new AppError(
      'invalid_checkpoint',
      'The checkpoint was written by a job with another specification or other data',
      { param: 'resumeFrom' },
    );
  }
  const shapes = run.model.weights.map((w) => w.shape.join('×'));
  const stored = checkpoint.weights.map((w) => w.shape.join('×'));
  if (shapes.join(',') !== stored.join(',')) {
    throw new AppError(
      'invalid_checkpoint',
      `The checkpoint's weights [${stored.join(', ')}] do not fit the model [${shapes.join(', ')}]`,
      { param: 'resumeFrom' },
    );
  }
  restoreWeights(
    run.model,
    checkpoint.weights.map((w) => w.values),
  );
  const tensors = checkpoint.optimizer.map((t) => ({
    name: t.name,
    tensor: tf.tensor(t.values, [...t.shape]),
  }));
  await run.optimizer.setWeights(tensors);
  tf.dispose(tensors.map((t) => t.tensor));
  run.random.state = checkpoint.randomState;
  // A run that had completed its epochs goes on when the job now asks for more.
  const finished =
    checkpoint.finished === 'completed' && epochs > checkpoint.epoch ? null : checkpoint.finished;
  return {
    epoch: checkpoint.epoch,
    history: [...checkpoint.history],
    early: checkpoint.early,
    bestWeights: checkpoint.bestWeights?.map((w) => w.values) ?? null,
    elapsedMs: checkpoint.elapsedMs,
    finished,
  };
}
