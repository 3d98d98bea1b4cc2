import * as tf from '@tensorflow/tfjs-core';
import { infoFigure } from './lib/figure.mjs';
import { serverDist } from './lib/paths.mjs';
import { round, summarize } from './lib/percentiles.mjs';

const BATCH = 32;
const WARMUP_STEPS = 2;
/** The CPU backend's filter gradient is plain JavaScript: a few steps take seconds each. */
const STEPS = { wasm: 20, cpu: 3 };

/**
 * One training step (forward, backward, Adam update) of the `lenet` preset on a batch of 32
 * 32×32×3 images, on the wasm backend (with the trainer's kernel replacements) and on the CPU
 * backend, in this process at one thread.
 */
export async function trainerLenetStep({ log }) {
  const { useTrainingBackend } = await import(serverDist('trainer/tf/tf-backend.js'));
  const { presetLayers } = await import(serverDist('trainer/model/presets.js'));
  const { buildModel } = await import(serverDist('trainer/model/build-model.js'));
  const { makeOptimizer } = await import(serverDist('trainer/model/make-optimizer.js'));
  const { compileModel } = await import(serverDist('trainer/model/compile-model.js'));
  const layers = presetLayers('lenet', { task: 'classification', classes: 10 }, true);
  const timings = {};
  for (const backend of ['wasm', 'cpu']) {
    const choice = await useTrainingBackend(backend, 1);
    if (choice.backend !== backend)
      throw new Error(`${backend} backend unavailable: ${choice.notes.join('; ')}`);
    const model = buildModel(layers, [32, 32, 3], 1, 'model.layers');
    // As the trainer compiles it: on wasm, its one-kernel loss, accuracy and Adam update.
    const optimizer = makeOptimizer({
      type: 'adam',
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
    compileModel(model, optimizer, 'sparseCategoricalCrossentropy', 'accuracy', backend);
    const x = tf.randomUniform([BATCH, 32, 32, 3], 0, 1, 'float32', 3);
    const y = tf.tensor2d(
      Float32Array.from({ length: BATCH }, (_, i) => i % 10),
      [BATCH, 1],
    );
    const latencies = [];
    for (let i = 0; i < WARMUP_STEPS + STEPS[backend]; i++) {
      const t = performance.now();
      await model.trainOnBatch(x, y);
      if (i >= WARMUP_STEPS) latencies.push(performance.now() - t);
    }
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
    timings[backend] = summarize(latencies);
    log(`${backend}: p50 ${timings[backend].p50Ms} ms over ${STEPS[backend]} steps`);
  }
  return {
    id: 'trainer-lenet-step',
    title: `LeNet training step (batch ${BATCH}, 32×32×3, Adam), one thread`,
    figures: [
      infoFigure('LeNet step ms, wasm', timings.wasm.p50Ms),
      infoFigure('LeNet step ms, cpu', timings.cpu.p50Ms),
      infoFigure('LeNet step cpu ÷ wasm', timings.cpu.p50Ms / timings.wasm.p50Ms),
    ],
    raw: timings,
    lines: [
      `wasm (SIMD, with the trainer's kernels: convolution gradients as forward convolutions, …): p50 ${timings.wasm.p50Ms} ms, p99 ${timings.wasm.p99Ms} ms`,
      `cpu (JavaScript kernels): p50 ${timings.cpu.p50Ms} ms; ${round(timings.cpu.p50Ms / timings.wasm.p50Ms, 1)}× the wasm step`,
    ],
  };
}
