import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
tf.env().set('PROD', true);
const [N, H, W, C, K, kh, kw, sh, sw] = [3, 8, 9, 4, 1, 1, 3, 3, 3];
const rand = (n) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
const xv = rand(N * H * W * C),
  fv = rand(kh * kw * C * K);
await tf.setBackend('cpu');
const x = tf.tensor(xv, [N, H, W, C]),
  f = tf.tensor(fv, [kh, kw, C, K]);
const y = tf.conv2d(x, f, [sh, sw], 'same');
console.log('out', y.shape);
const dy = tf.onesLike(y);
const g = tf.grad((ff) => tf.sum(tf.conv2d(x, ff, [sh, sw], 'same')))(f);
const info = tf.backend_util.computeConv2DInfo(x.shape, f.shape, [sh, sw], 1, 'same');
console.log(info.padInfo, info.outHeight, info.outWidth);
const [OH, OW] = [info.outHeight, info.outWidth];
const top = info.padInfo.top,
  left = info.padInfo.left;
const ref = new Float32Array(kh * kw * C * K);
for (let i = 0; i < kh; i++)
  for (let j = 0; j < kw; j++)
    for (let c = 0; c < C; c++)
      for (let o = 0; o < K; o++) {
        let s = 0;
        for (let n = 0; n < N; n++)
          for (let p = 0; p < OH; p++)
            for (let q = 0; q < OW; q++) {
              const r = p * sh + i - top,
                cc = q * sw + j - left;
              if (r < 0 || r >= H || cc < 0 || cc >= W) continue;
              s += xv[((n * H + r) * W + cc) * C + c];
            }
        ref[((i * kw + j) * C + c) * K + o] = s;
      }
const gv = await g.data();
let m = 0;
for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(ref[i] - gv[i]));
console.log('cpu vs naive', m);
