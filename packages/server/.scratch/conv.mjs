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
async function f(b, xs, fs, xv, fv, dil, pad) {
  await tf.setBackend(b);
  const x = tf.tensor(xv, xs),
    w = tf.tensor(fv, fs);
  return tf.conv2d(x, w, 1, pad, 'NHWC', dil).data();
}
for (const [xs, fs, dil] of [
  [
    [4, 7, 9, 3],
    [3, 3, 3, 1],
    [3, 3],
  ],
  [
    [4, 7, 9, 3],
    [3, 3, 3, 2],
    [3, 3],
  ],
  [
    [4, 7, 9, 3],
    [3, 3, 3, 1],
    [1, 1],
  ],
  [
    [4, 7, 9, 3],
    [3, 3, 3, 1],
    [2, 2],
  ],
  [
    [4, 9, 9, 3],
    [3, 3, 3, 1],
    [3, 3],
  ],
  [
    [1, 7, 9, 3],
    [3, 3, 3, 1],
    [3, 3],
  ],
  [
    [4, 7, 9, 1],
    [3, 3, 1, 1],
    [3, 3],
  ],
]) {
  const xv = rand(xs.reduce((a, b) => a * b)),
    fv = rand(fs.reduce((a, b) => a * b));
  const a = await f('cpu', xs, fs, xv, fv, dil, 'valid'),
    b = await f('wasm', xs, fs, xv, fv, dil, 'valid');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  console.log(xs, fs, dil, a.length, m);
}
