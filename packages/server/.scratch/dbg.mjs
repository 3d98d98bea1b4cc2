import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
tf.env().set('PROD', true);

import { createRequire } from 'node:module';
import path from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
const rand = (n) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
const xv = rand(3 * 8 * 9 * 4),
  dyv = rand(3 * 3 * 3 * 1);
async function go(b) {
  await tf.setBackend(b);
  const x = tf.tensor(xv, [3, 8, 9, 4]),
    dy = tf.tensor(dyv, [3, 3, 3, 1]);
  const xs = tf.slice(x, [0, 0, 0, 0], [3, 7, 9, 4]);
  const xt = tf.transpose(xs, [3, 1, 2, 0]);
  const dyt = tf.transpose(dy, [1, 2, 0, 3]);
  const c = tf.conv2d(
    xt,
    dyt,
    1,
    [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ],
    'NHWC',
    [3, 3],
  );
  const o = tf.transpose(c, [1, 2, 0, 3]);
  return Promise.all([xs, xt, dyt, c, o].map((t) => t.data()));
}
const a = await go('cpu'),
  b = await go('wasm');
a.forEach((v, i) => {
  let m = 0;
  for (let j = 0; j < v.length; j++) m = Math.max(m, Math.abs(v[j] - b[i][j]));
  console.log(i, v.length, m);
});
