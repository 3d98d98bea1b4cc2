import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/trainer/seeded-random.js';
import { useTrainingBackend } from '../src/trainer/tf/tf-backend.js';

/**
 * The wasm kernels training relies on, replaced or added ones first, against the CPU backend's on
 * random shapes (strides, 'same'/'valid', non-square windows). Tolerance: 1e-5 of the largest
 * magnitude in the CPU result (float32 sums in another order differ in their last bits).
 */
type Shape4 = [number, number, number, number];
interface Case {
  x: Shape4;
  window: [number, number];
  outChannels: number;
  strides: [number, number];
  pad: 'same' | 'valid';
}

const random = new SeededRandom(7);
const int = (from: number, to: number) => from + Math.floor(random.next() * (to - from + 1));
const values = (n: number) => Float32Array.from({ length: n }, () => random.next() * 2 - 1);
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function cases(count: number): Case[] {
  const out: Case[] = [];
  while (out.length < count) {
    const x: Shape4 = [int(1, 3), int(4, 14), int(4, 14), int(1, 4)];
    const window: [number, number] = [int(1, 5), int(1, 5)];
    if (window[0] > x[1] || window[1] > x[2]) continue;
    out.push({
      x,
      window,
      outChannels: int(1, 5),
      strides: [int(1, 3), int(1, 3)],
      pad: random.next() < 0.5 ? 'same' : 'valid',
    });
  }
  return out;
}

async function on(backend: 'cpu' | 'wasm', run: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const out = tf.tidy(run);
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}

async function expectSame(label: string, run: () => tf.Tensor) {
  const cpu = await on('cpu', run);
  const wasm = await on('wasm', run);
  expect(wasm.length, label).toBe(cpu.length);
  let worst = 0;
  let magnitude = 1;
  for (let i = 0; i < cpu.length; i++) {
    worst = Math.max(worst, Math.abs((cpu[i] as number) - (wasm[i] as number)));
    magnitude = Math.max(magnitude, Math.abs(cpu[i] as number));
  }
  expect(worst, label).toBeLessThanOrEqual(1e-5 * magnitude);
}

describe('wasm training kernels', () => {
  beforeAll(async () => {
    const choice = await useTrainingBackend('wasm', 1);
    expect(choice.backend).toBe('wasm');
  });

  const all = cases(40);
  it.each(all.map((c, i) => [i, c] as const))(
    'case %i: convolution gradients, forward, pooling',
    async (_i, c) => {
      const xData = values(size(c.x));
      const filterShape: Shape4 = [c.window[0], c.window[1], c.x[3], c.outChannels];
      const filterData = values(size(filterShape));
      const label = JSON.stringify(c);
      const x = () => tf.tensor4d(xData, c.x);
      const filter = () => tf.tensor4d(filterData, filterShape);
      const y = () => tf.conv2d(x(), filter(), c.strides, c.pad);
      const dyData = values(size(await on('cpu', y).then(() => tf.tidy(() => y().shape))));
      const dy = () => tf.tensor(dyData, y().shape);

      await expectSame(
        `Conv2DBackpropFilter ${label}`,
        () =>
          tf.engine().runKernel(
            'Conv2DBackpropFilter',
            { x: x(), dy: dy() },
            {
              strides: c.strides,
              pad: c.pad,
              dataFormat: 'NHWC',
              filterShape,
            },
          ) as tf.Tensor,
      );
      await expectSame(`filter gradient ${label}`, () =>
        tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x(), f as tf.Tensor4D, c.strides, c.pad), dy())))(
          filter(),
        ),
      );
      await expectSame(`input gradient ${label}`, () =>
        tf.grad((v: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(v as tf.Tensor4D, filter(), c.strides, c.pad), dy())),
        )(x()),
      );
      await expectSame(`Conv2D ${label}`, y);
      await expectSame(`FusedConv2D ${label}`, () =>
        tf.fused.conv2d({
          x: x(),
          filter: filter(),
          strides: c.strides,
          pad: c.pad,
          bias: tf.fill([c.outChannels], 0.1),
          activation: 'relu',
        }),
      );
      for (const pool of ['maxPool', 'avgPool'] as const) {
        const op = pool === 'maxPool' ? tf.maxPool : tf.avgPool;
        const run = (v: tf.Tensor) => op(v as tf.Tensor4D, c.window, c.strides, c.pad);
        await expectSame(`${pool} ${label}`, () => run(x()));
        await expectSame(`${pool} gradient ${label}`, () =>
          tf.grad((v: tf.Tensor) => tf.sum(tf.square(run(v))))(x()),
        );
      }
    },
  );

  it('frees what the replacement kernels allocate on the wasm heap', async () => {
    await tf.setBackend('wasm');
    const heapBuffers = () => (tf.backend() as BackendWasm).numDataIds();
    const before = heapBuffers();
    tf.tidy(() => {
      const x = tf.ones([2, 9, 8, 2]) as tf.Tensor4D;
      const grad = tf.grads((v: tf.Tensor, f: tf.Tensor) =>
        tf.sum(tf.maxPool(tf.conv2d(v as tf.Tensor4D, f as tf.Tensor4D, [2, 3], 'same'), 2, 1, 'valid')),
      );
      grad([x, tf.ones([3, 2, 2, 4])]);
    });
    expect(heapBuffers()).toBe(before);
  });
});
