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
const { backend_util } = tf;
const mode = process.argv[2];
const ops = {
  conv: (x, f, s, pad) => tf.conv2d(x, f, s, pad),
  fused: (x, f, s, pad) =>
    tf.fused.conv2d({ x, filter: f, strides: s, pad, activation: 'relu', bias: tf.ones([f.shape[3]]) }),
  dx: (x, f, s, pad) => tf.grad((xx) => tf.sum(tf.mul(tf.conv2d(xx, f, s, pad), tf.conv2d(x, f, s, pad))))(x),
  maxpool: (x, f, s, pad) => tf.maxPool(x, [f.shape[0], f.shape[1]], s, pad),
  avgpool: (x, f, s, pad) => tf.avgPool(x, [f.shape[0], f.shape[1]], s, pad),
  maxgrad: (x, f, s, pad) =>
    tf.grad((xx) => tf.sum(tf.square(tf.maxPool(xx, [f.shape[0], f.shape[1]], s, pad))))(x),
  avggrad: (x, f, s, pad) =>
    tf.grad((xx) => tf.sum(tf.square(tf.avgPool(xx, [f.shape[0], f.shape[1]], s, pad))))(x),
};
if (mode === 'explicit') {
  for (const name of ['Conv2D', 'FusedConv2D']) {
    const orig = tf.getKernel(name, 'wasm');
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      ...orig,
      kernelFunc: (args) => {
        const { x } = args.inputs;
        const f = args.inputs.filter;
        const a = args.attrs;
        if (typeof a.pad !== 'string' || a.pad === 'valid') return orig.kernelFunc(args);
        const info = backend_util.computeConv2DInfo(
          x.shape,
          f.shape,
          a.strides,
          a.dilations,
          a.pad,
          a.dimRoundingMode,
          false,
          'channelsLast',
        );
        const p = info.padInfo;
        return orig.kernelFunc({
          ...args,
          attrs: {
            ...a,
            pad: [
              [0, 0],
              [p.top, p.bottom],
              [p.left, p.right],
              [0, 0],
            ],
          },
        });
      },
    });
  }
}
let bad = 0;
for (let t = 0; t < 300; t++) {
  const N = 1 + (t % 3),
    H = 4 + ((t * 7) % 11),
    W = 4 + ((t * 5) % 9),
    C = 1 + (t % 4),
    K = 1 + ((t * 3) % 5);
  const kh = 1 + ((t * 13) % 5),
    kw = 1 + ((t * 11) % 4);
  const s = [1 + (t % 3), 1 + ((t >> 2) % 3)];
  const pad = (t >> 1) % 2 ? 'same' : 'valid';
  if (kh > H || kw > W) continue;
  const xs = [N, H, W, C],
    fs = [kh, kw, C, K];
  const xv = rand(N * H * W * C),
    fv = rand(kh * kw * C * K);
  for (const [name, op] of Object.entries(ops)) {
    const r = [];
    for (const b of ['cpu', 'wasm']) {
      await tf.setBackend(b);
      const x = tf.tensor(xv, xs),
        f = tf.tensor(fv, fs);
      const y = op(x, f, s, pad);
      r.push(await y.data());
      tf.dispose([x, f, y]);
    }
    let m = 0,
      mag = 0;
    for (let i = 0; i < r[0].length; i++) {
      m = Math.max(m, Math.abs(r[0][i] - r[1][i]));
      mag = Math.max(mag, Math.abs(r[0][i]));
    }
    if (m > 1e-4 * Math.max(1, mag)) {
      bad++;
      console.log(name, xs, fs, s, pad, m);
    }
  }
}
console.log('bad', bad);
