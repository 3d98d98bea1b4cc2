import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
tf.env().set('PROD', true);

import { createRequire } from 'node:module';
import path from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
const [xs, k, s, pad] = JSON.parse(process.argv[2]);
const n = xs.reduce((a, b) => a * b);
const xv = Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
const out = [];
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b);
  const x = tf.tensor(xv, xs);
  const y = tf.maxPool(x, k, s, pad);
  const dy = tf.randomUniform(y.shape, 0, 1, 'float32', 7);
  const g = tf
    .engine()
    .runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: k, strides: s, pad });
  out.push(await g.data());
}
let m = 0;
for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(out[0][i] - out[1][i]));
console.log(m);
if (m > 1e-5) {
  console.log(
    Array.from(out[0])
      .map((v) => v.toFixed(2))
      .join(' '),
  );
  console.log(
    Array.from(out[1])
      .map((v) => v.toFixed(2))
      .join(' '),
  );
}
