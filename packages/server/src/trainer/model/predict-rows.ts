import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { gatherInputs } from '../loop/batch-tensors.js';
import type { PreparedData } from '../preprocess/prepared-data.js';

/** The model's outputs for `rows` (indices into the kept rows), batch by batch, row after row. */
export async function predictRows(
  model: tfl.Sequential,
  data: PreparedData,
  rows: readonly number[],
  batchSize: number,
): Promise<Float32Array> {
  const units = outputUnits(model);
  const out = new Float32Array(rows.length * units);
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const y = tf.tidy(
      () =>
        model.predict(tf.tensor(gatherInputs(data, batch), [batch.length, ...data.inputShape])) as tf.Tensor,
    );
    out.set((await y.data()) as Float32Array, start * units);
    y.dispose();
  }
  return out;
}

export function outputUnits(model: tfl.Sequential): number {
  const shape = model.outputs[0]?.shape;
  const units = shape?.[shape.length - 1];
  if (typeof units !== 'number') throw new Error('the model has no output shape');
  return units;
}
