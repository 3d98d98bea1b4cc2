import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sparseAccuracy, sparseCrossEntropy } from '../src/trainer/model/compile-model.js';
import { SeededRandom } from '../src/trainer/seeded-random.js';
import { FusedAdamOptimizer, FusedMomentumOptimizer } from '../src/trainer/tf/fused-optimizers.js';
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
      await expectSame(
        `Conv2DBackpropInput ${label}`,
        () =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy: dy(), filter: filter() },
              { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
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

  const products = Array.from({ length: 12 }, () => ({
    m: int(1, 40),
    k: int(1, 70),
    n: int(1, 40),
    transposeA: random.next() < 0.5,
    transposeB: random.next() < 0.5,
    batch: random.next() < 0.25 ? int(2, 3) : 0,
  }));
  it.each(products.map((p, i) => [i, p] as const))(
    'case %i: matrix products and their gradients',
    async (_i, p) => {
      const label = JSON.stringify(p);
      const lead = p.batch > 0 ? [p.batch] : [];
      const aShape = [...lead, ...(p.transposeA ? [p.k, p.m] : [p.m, p.k])];
      const bShape = [...lead, ...(p.transposeB ? [p.n, p.k] : [p.k, p.n])];
      const aData = values(size(aShape));
      const bData = values(size(bShape));
      const dyData = values(size([...lead, p.m, p.n]));
      const a = () => tf.tensor(aData, aShape);
      const b = () => tf.tensor(bData, bShape);
      const product = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, p.transposeA, p.transposeB);
      await expectSame(`BatchMatMul ${label}`, () => product(a(), b()));
      const dy = () => tf.tensor(dyData, [...lead, p.m, p.n]);
      await expectSame(`BatchMatMul gradients ${label}`, () => {
        const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(product(x, y), dy())))([
          a(),
          b(),
        ]);
        return tf.concat([tf.reshape(da as tf.Tensor, [-1]), tf.reshape(db as tf.Tensor, [-1])]);
      });
    },
  );

  // The one-kernel updates on wasm against tfjs's own optimizers on the CPU backend, over steps.
  const optimizers = {
    adam: {
      fused: () => new FusedAdamOptimizer(0.01, 0.9, 0.999, 1e-7),
      stock: () => tf.train.adam(0.01, 0.9, 0.999, 1e-7),
    },
    momentum: {
      fused: () => new FusedMomentumOptimizer(0.05, 0.9),
      stock: () => tf.train.momentum(0.05, 0.9),
    },
  };
  it.each(Object.keys(optimizers))('%s: fused update steps', async (kind) => {
    const make = optimizers[kind as keyof typeof optimizers];
    const shapes = [[7, 5], [5], [3, 3, 2, 4]];
    const start = shapes.map((s) => values(size(s)));
    const steps = Array.from({ length: 6 }, () => shapes.map((s) => values(size(s))));
    const run = (optimizer: tf.Optimizer) => () => {
      const variables = shapes.map((s, i) => tf.variable(tf.tensor(start[i] as Float32Array, s)));
      for (const grads of steps) {
        optimizer.applyGradients(
          Object.fromEntries(
            variables.map((v, i) => [v.name, tf.tensor(grads[i] as Float32Array, shapes[i])]),
          ),
        );
      }
      const out = tf.concat(variables.map((v) => tf.reshape(v, [-1])));
      tf.dispose(variables);
      return out;
    };
    const stock = make.stock();
    const fused = make.fused();
    const cpu = await on('cpu', run(stock));
    const wasm = await on('wasm', run(fused));
    let worst = 0;
    for (let i = 0; i < cpu.length; i++)
      worst = Math.max(worst, Math.abs((cpu[i] as number) - (wasm[i] as number)));
    expect(worst, kind).toBeLessThanOrEqual(1e-5 * Math.max(1, ...Array.from(cpu, Math.abs)));
    // And the values moved: the update ran.
    expect(Math.abs((wasm[0] as number) - (start[0]?.[0] as number))).toBeGreaterThan(1e-4);
    const names = (await fused.getWeights()).map((w) => w.name);
    expect(names.length).toBe(kind === 'adam' ? 7 : 4);
    stock.dispose();
    fused.dispose();
  });

  // The one-kernel loss and accuracy on wasm against tfjs-layers' functions on the CPU backend, with
  // probabilities at and beyond the clip bounds, ties, and one row that is exactly one-hot.
  it('sparse cross-entropy, its gradient and accuracy', async () => {
    const n = 9;
    const k = 5;
    const labelData = Float32Array.from({ length: n }, () => int(0, k - 1));
    const raw = values(n * k).map((v) => Math.exp(3 * v));
    raw[0] = 0;
    raw[1] = raw[2] as number;
    for (let j = 0; j < k; j++) raw[k + j] = j === 2 ? 1 : 0;
    const labels = () => tf.tensor2d(labelData, [n, 1]);
    const probabilities = () => tf.div(tf.tensor2d(raw, [n, k]), tf.sum(tf.tensor2d(raw, [n, k]), 1, true));
    const twice =
      <T>(cpu: T, wasm: T) =>
      async (label: string, run: (f: T) => tf.Tensor) => {
        const expected = await on('cpu', () => run(cpu));
        const actual = await on('wasm', () => run(wasm));
        expect(actual.length, label).toBe(expected.length);
        for (let i = 0; i < expected.length; i++)
          expect(
            Math.abs((actual[i] as number) - (expected[i] as number)),
            `${label} ${i}`,
          ).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected[i] as number)));
      };
    // tfjs-layers' sparse loss: clip, then the categorical loss of the one-hot targets.
    const stockLoss = (y: tf.Tensor, p: tf.Tensor) =>
      tfl.metrics.categoricalCrossentropy(
        tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), k),
        tf.clipByValue(p, 1e-7, 1 - 1e-7),
      );
    const losses = twice(stockLoss, sparseCrossEntropy);
    await losses('loss', (f) => f(labels(), probabilities()));
    await losses('gradient', (f) => tf.grad((p: tf.Tensor) => tf.mean(f(labels(), p)))(probabilities()));
    const accuracy = twice(tfl.metrics.sparseCategoricalAccuracy, sparseAccuracy);
    await accuracy('accuracy', (f) => f(labels(), probabilities()));
  });

  // Bias add, bias gradient and ReLU gradient (wasm-layer-kernels.ts) against the CPU backend, on
  // rows of 1 to 13 floats (the SIMD module's blocks of 4 and the overlapping last block).
  it.each([1, 3, 4, 6, 8, 13])('bias add, its gradient and the ReLU gradient, rows of %i', async (c) => {
    const shape = [3, 5, c];
    const xData = values(size(shape));
    const biasData = values(c);
    const x = () => tf.tensor(xData, shape);
    const bias = () => tf.tensor1d(biasData);
    await expectSame(`bias add ${c}`, () => tf.add(x(), bias()));
    await expectSame(`bias add, bias first ${c}`, () => tf.add(tf.reshape(bias(), [1, 1, c]), x()));
    await expectSame(`sum of rows ${c}`, () => tf.sum(x(), [0, 1]));
    await expectSame(`sum of rows, kept dims ${c}`, () => tf.sum(x(), [1, 0], true));
    await expectSame(`sum of another axis ${c}`, () => tf.sum(x(), 2));
    await expectSame(`bias gradient ${c}`, () =>
      tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.add(x(), b), x())))(bias()),
    );
    await expectSame(`relu gradient ${c}`, () =>
      tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), v)))(x()),
    );
  });

  // The max-pool gradient's SIMD path (windows apart, at least 4 channels), with ties (ReLU's zeros)
  // and negative windows: the first largest input of each window takes the gradient, as on the CPU.
  it.each([
    { x: [2, 8, 8, 6], window: [2, 2], strides: [2, 2] },
    { x: [1, 9, 11, 5], window: [2, 3], strides: [3, 4] },
    { x: [3, 6, 6, 16], window: [3, 3], strides: [3, 3] },
  ] as const)('max-pool gradient, windows apart: %j', async (c) => {
    const xData = values(size(c.x)).map((v) => (v < -0.3 ? 0 : v < -0.2 ? -v : v));
    const x = () => tf.tensor(xData, [...c.x]) as tf.Tensor4D;
    await expectSame(`max-pool gradient ${JSON.stringify(c)}`, () =>
      tf.grad((v: tf.Tensor) =>
        tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, [...c.window], [...c.strides], 'valid'), 3)),
      )(x()),
    );
  });

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
      tf.grads((u: tf.Tensor, w: tf.Tensor) => tf.sum(tf.matMul(u, w, true, true)))([
        tf.ones([3, 2]),
        tf.ones([4, 3]),
      ]);
    });
    expect(heapBuffers()).toBe(before);
  });
});
