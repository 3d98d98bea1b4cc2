import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
tf.env().set('PROD', true);

import { createRequire } from 'node:module';
import path from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
const xv = Float32Array.from({ length: 16 }, (_, i) => ((i * 7) % 16) / 16);
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b);
  const x = tf.tensor(xv, [1, 4, 4, 1]);
  const g = tf.grad((xx) =>
    tf.sum(tf.mul(tf.maxPool(xx, 2, 2, 'valid'), tf.tensor([1, 2, 3, 4], [1, 2, 2, 1]))),
  )(x);
  console.log(b, Array.from(await g.data()).join(' '));
  const g2 = tf.grad((xx) => tf.sum(tf.maxPool(xx, 2, 2, 'valid')))(x);
  console.log(b, 'ones', Array.from(await g2.data()).join(' '));
}
console.log(
  Array.from(xv)
    .map((v) => v * 16)
    .join(' '),
);
