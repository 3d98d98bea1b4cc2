import * as tf from '@tensorflow/tfjs-core';
import { exampleSize, type PreparedData } from '../preprocess/prepared-data.js';

/** The examples at `rows` (indices into the kept rows), copied out of the one decoded array. */
export function gatherInputs(data: PreparedData, rows: readonly number[]): Float32Array {
  const size = exampleSize(data);
  const out = new Float32Array(rows.length * size);
  for (const [i, r] of rows.entries()) out.set(data.inputs.subarray(r * size, (r + 1) * size), i * size);
  return out;
}

/** Inputs and targets (`[n, 1]`: class index, 0/1, or value) of `rows` as tensors; the caller disposes. */
export function batchTensors(data: PreparedData, rows: readonly number[]): { x: tf.Tensor; y: tf.Tensor } {
  const x = tf.tensor(gatherInputs(data, rows), [rows.length, ...data.inputShape]);
  const y = tf.tensor2d(
    Float32Array.from(rows, (r) => data.targets[r] as number),
    [rows.length, 1],
  );
  return { x, y };
}
