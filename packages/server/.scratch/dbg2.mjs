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
const rand = (n) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
const xv = rand(3 * 8 * 9 * 4),
  dyv = rand(3 * 3 * 3 * 1);
async function go(b) {
  await tf.setBackend(b);
  const x = tf.tensor(xv, [3, 8, 9, 4]),
    dy = tf.tensor(dyv, [3, 3, 3, 1]);
  return tf
    .engine()
    .runKernel(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: [3, 3], pad: 'same', dataFormat: 'NHWC', filterShape: [1, 3, 4, 1] },
    )
    .data();
}
const a = await go('cpu'),
  b = await go('wasm');
console.log(Array.from(a).slice(0, 6), Array.from(b).slice(0, 6));
