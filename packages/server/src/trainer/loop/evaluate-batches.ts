import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { compiledFunctions } from '../model/compile-model.js';
import { exampleSize, type PreparedData } from '../preprocess/prepared-data.js';
import { gatherInputs } from './batch-tensors.js';

/** The validation rows gathered once, for an evaluation after every epoch. */
export interface HeldRows {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
}

export function holdRows(data: PreparedData, rows: readonly number[]): HeldRows {
  return {
    inputs: gatherInputs(data, rows),
    targets: Float32Array.from(rows, (r) => data.targets[r] as number),
  };
}

/**
 * Mean loss and metric over the held rows, batch by batch, with the compiled model's functions:
 * what layers' `evaluate` computes, without its gather of each batch out of one big tensor (on
 * wasm that gather cost as much as the forward pass of a small CNN).
 */
export function evaluateBatches(
  model: tfl.Sequential,
  data: PreparedData,
  held: HeldRows,
  batchSize: number,
): [number, number] {
  const { loss, metric } = compiledFunctions(model);
  const size = exampleSize(data);
  const count = held.targets.length;
  let lossSum = 0;
  let metricSum = 0;
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const values = tf.tidy(() => {
      const x = tf.tensor(held.inputs.subarray(start * size, (start + n) * size), [n, ...data.inputShape]);
      const y = tf.tensor2d(held.targets.subarray(start, start + n), [n, 1]);
      const out = model.predict(x) as tf.Tensor;
      return tf.stack([tf.mean(loss(y, out)), tf.mean(metric(y, out))]);
    });
    const [l, m] = values.dataSync();
    values.dispose();
    lossSum += (l as number) * n;
    metricSum += (m as number) * n;
  }
  return [lossSum / count, metricSum / count];
}
