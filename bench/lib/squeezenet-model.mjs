import { existsSync, readFileSync } from 'node:fs';
import { squeezenetPath } from './paths.mjs';
import { randomHalfPixels } from './tensor-data.mjs';

/** The shared SqueezeNet fp16 with a random pixel input (seeded), or null when the file is absent. */
export function squeezenetModel(seed) {
  if (!existsSync(squeezenetPath)) return null;
  return {
    label: 'SqueezeNet fp16',
    bytes: readFileSync(squeezenetPath),
    input: {
      name: 'data_0',
      datatype: 'FP16',
      shape: [1, 3, 224, 224],
      data: randomHalfPixels(150_528, seed),
    },
    ortType: 'float16',
    output: 'softmaxout_1',
  };
}
