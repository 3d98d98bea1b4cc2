import type { TrainingLoss } from '@modelport/contracts';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainingMetricName } from '../../wire/training/index.js';
import type { TrainingBackend } from '../tf/tf-backend.js';
import { SPARSE_ACCURACY, SPARSE_CROSS_ENTROPY } from '../tf/wasm-sparse-cross-entropy.js';

/**
 * Compiles the model for its loss and metric. On wasm, sparse categorical cross-entropy and its
 * accuracy then run as one kernel each (tf/wasm-sparse-cross-entropy.ts) with the values of
 * tfjs-layers' functions: they replace those functions after `compile`, which keeps layers' own
 * checks of the targets (it recognises the sparse loss by identity) and the reported names.
 */
export function compileModel(
  model: tfl.Sequential,
  optimizer: tf.Optimizer,
  loss: TrainingLoss,
  metric: TrainingMetricName,
  backend: TrainingBackend,
): void {
  model.compile({ optimizer, loss, metrics: [metric] });
  if (backend !== 'wasm' || loss !== 'sparseCategoricalCrossentropy' || metric !== 'accuracy') return;
  const inner = compiledModel(model);
  inner.lossFunctions[0] = sparseCrossEntropy;
  inner.metricsTensors[0] = [sparseAccuracy, 0];
}

export type LossOrMetric = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The per-example loss and metric functions the compiled model trains and evaluates with. */
export function compiledFunctions(model: tfl.Sequential): { loss: LossOrMetric; metric: LossOrMetric } {
  const inner = compiledModel(model);
  return {
    loss: inner.lossFunctions[0] as LossOrMetric,
    metric: inner.metricsTensors[0]?.[0] as LossOrMetric,
  };
}

/** A Sequential trains through the functional model it wraps (a private field of tfjs-layers). */
function compiledModel(model: tfl.Sequential): tfl.LayersModel {
  const inner = (model as unknown as { model?: tfl.LayersModel }).model;
  if (inner?.lossFunctions?.length !== 1 || inner.metricsTensors?.length !== 1)
    throw new Error('expected a model compiled with one loss and one metric');
  return inner;
}

export function sparseCrossEntropy(labels: tf.Tensor, probabilities: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(SPARSE_CROSS_ENTROPY, { labels, probabilities }) as tf.Tensor;
}

export function sparseAccuracy(labels: tf.Tensor, probabilities: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(SPARSE_ACCURACY, { labels, probabilities }) as tf.Tensor;
}
