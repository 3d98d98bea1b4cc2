import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/';
setWasmPaths(dir);
if (process.argv[2] === 'threads') {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(2);
}
console.log(await tf.setBackend('wasm'), tf.getBackend());
console.log(
  'simd',
  await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
  'mt',
  await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
);
const b = tf.backend();
console.log('threads', b.wasm?.tfjs?.getThreadsCount?.());
for (const k of [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'MaxPoolGrad',
  'AvgPoolGrad',
  'Conv2D',
  'MaxPool',
  'AvgPool',
  'FusedConv2D',
  'Relu',
  'Multinomial',
  'DepthwiseConv2dNativeBackpropFilter',
])
  console.log(k, !!tf.getKernel(k, 'wasm'), !!tf.getKernel(k, 'cpu'));
const a = tf.randomNormal([64, 64]);
const t0 = performance.now();
for (let i = 0; i < 100; i++) tf.matMul(a, a).dataSync();
console.log('mm', performance.now() - t0);
