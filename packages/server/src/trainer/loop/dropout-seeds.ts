import type * as tfl from '@tensorflow/tfjs-layers';
import type { SeededRandom } from '../seeded-random.js';

/**
 * tfjs's Dropout draws its mask from its `seed` on every call: a fixed seed repeats one mask on every
 * batch, none makes runs differ. So every Dropout layer gets a new seed from the run's generator
 * before each batch, which a checkpoint stores and a resumed run continues.
 */
export function reseedDropout(model: tfl.Sequential, random: SeededRandom): void {
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed: number }).seed = random.nextUint32();
  }
}
