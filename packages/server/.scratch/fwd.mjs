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
for (const [xs, fs, s, pad] of [
  [[3, 8, 9, 4], [1, 3, 4, 1], [3, 3], 'same'],
  [[3, 8, 9, 4], [1, 3, 4, 2], [3, 3], 'same'],
  [[3, 8, 9, 4], [3, 3, 4, 1], [3, 3], 'same'],
  [[3, 9, 9, 4], [1, 3, 4, 1], [3, 3], 'same'],
  [[3, 8, 9, 4], [1, 3, 4, 1], [2, 2], 'same'],
  [[1, 8, 9, 1], [1, 1, 1, 1], [3, 3], 'same'],
  [[1, 8, 8, 1], [1, 1, 1, 1], [3, 3], 'same'],
  [[1, 8, 8, 1], [1, 1, 1, 1], [3, 3], 'valid'],
  [[1, 8, 8, 1], [1, 1, 1, 1], [2, 2], 'valid'],
]) {
  const xv = rand(xs.reduce((a, b) => a * b)),
    fv = rand(fs.reduce((a, b) => a * b));
  const r = [];
  for (const b of ['cpu', 'wasm']) {
    await tf.setBackend(b);
    r.push(await tf.conv2d(tf.tensor(xv, xs), tf.tensor(fv, fs), s, pad).data());
  }
  let m = 0;
  for (let i = 0; i < r[0].length; i++) m = Math.max(m, Math.abs(r[0][i] - r[1][i]));
  console.log(xs, fs, s, pad, m);
}
