import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
tf.env().set('PROD', true);

import { createRequire } from 'node:module';
import path from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
const { backend_util } = tf;
function run(name, backend, inputs, attrs) {
  return tf.getKernel(name, 'wasm').kernelFunc({ inputs, attrs, backend });
}
tf.registerKernel({
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
    const info = backend_util.computeConv2DInfo(
      x.shape,
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(dataFormat),
    );
    const [kh, kw] = [info.filterHeight, info.filterWidth];
    const top = info.padInfo.top,
      left = info.padInfo.left;
    const sh = info.strideHeight,
      sw = info.strideWidth;
    const H = info.inHeight,
      W = info.inWidth,
      OH = info.outHeight,
      OW = info.outWidth;
    let bottom = kh + (OH - 1) * sh - H - top;
    let right = kw + (OW - 1) * sw - W - left;
    const temps = [];
    let xin = x;
    if (bottom < 0 || right < 0) {
      const hUse = H + Math.min(0, bottom),
        wUse = W + Math.min(0, right);
      xin = run('Slice', backend, { x }, { begin: [0, 0, 0, 0], size: [x.shape[0], hUse, wUse, x.shape[3]] });
      temps.push(xin);
      bottom = Math.max(0, bottom);
      right = Math.max(0, right);
    }
    const xt = run('Transpose', backend, { x: xin }, { perm: [3, 1, 2, 0] });
    temps.push(xt);
    const dyt = run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
    temps.push(dyt);
    const conv = run(
      'Conv2D',
      backend,
      { x: xt, filter: dyt },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [sh, sw],
        dimRoundingMode: undefined,
      },
    );
    temps.push(conv);
    const out = run('Transpose', backend, { x: conv }, { perm: [1, 2, 0, 3] });
    for (const t of temps) if (t !== x) backend.disposeData(t.dataId);
    return out;
  },
});
async function grad(backendName, xv, fv, strides, pad) {
  await tf.setBackend(backendName);
  const x = tf.tensor(xv.data, xv.shape),
    f = tf.tensor(fv.data, fv.shape);
  const g = tf.grad((ff) => tf.sum(tf.square(tf.conv2d(x, ff, strides, pad))))(f);
  const out = await g.data();
  tf.dispose([x, f, g]);
  return out;
}
const rand = (n) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
let worst = 0;
for (let t = 0; t < 40; t++) {
  const N = 1 + (t % 3),
    H = 5 + ((t * 7) % 11),
    W = 5 + ((t * 5) % 9),
    C = 1 + (t % 4),
    K = 1 + ((t * 3) % 5);
  const kh = 1 + (t % 5),
    kw = 1 + ((t * 2) % 4);
  const s = [1 + (t % 3), 1 + ((t >> 1) % 3)];
  const pad = t % 2 ? 'same' : 'valid';
  if (kh > H || kw > W) continue;
  const xv = { data: rand(N * H * W * C), shape: [N, H, W, C] },
    fv = { data: rand(kh * kw * C * K), shape: [kh, kw, C, K] };
  const a = await grad('cpu', xv, fv, s, pad),
    b = await grad('wasm', xv, fv, s, pad);
  let m = 0,
    mag = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    mag = Math.max(mag, Math.abs(a[i]));
  }
  worst = Math.max(worst, m);
  console.log(JSON.stringify({ N, H, W, C, K, kh, kw, s, pad }), m.toExponential(2), mag.toFixed(1));
}
console.log('worst', worst, 'tensors', tf.memory().numTensors);
