import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { input, type WasmKernelArgs } from './wasm-kernel-args.js';

export const SPARSE_CROSS_ENTROPY = 'TrainerSparseCrossEntropy';
export const SPARSE_CROSS_ENTROPY_GRAD = 'TrainerSparseCrossEntropyGrad';
export const SPARSE_ACCURACY = 'TrainerSparseAccuracy';

/**
 * tfjs-layers' sparse categorical cross-entropy on softmax outputs, per example, as one kernel over
 * the wasm heap (with its gradient as another) where layers runs about twenty-five small kernels,
 * forward and backward, on every batch: clip p to [ε, 1 − ε], divide by its sum, clip again, take
 * −log of the target class's entry. Inputs labels ([n] or [n, 1], class indices as floats) and
 * probabilities ([n, k]); output [n].
 */
export const wasmSparseCrossEntropy: tf.KernelConfig = {
  kernelName: SPARSE_CROSS_ENTROPY,
  backendName: 'wasm',
  kernelFunc: (kernelArgs) => {
    const { backend, labels, probabilities, n, k, epsilon } = unpack(kernelArgs);
    const out = backend.makeOutput([n], 'float32');
    const [y, p, loss] = [labels, probabilities, out].map((t) => view(backend, t)) as Views3;
    for (let r = 0; r < n; r++) {
      const row = rowOf(p, r, k, y[r] as number, epsilon);
      loss[r] = row === null ? 0 : -Math.log(clip(row.q, epsilon));
    }
    return out;
  },
};

/**
 * The gradient with respect to the probabilities, through both clips and the normalisation:
 * with g = −dy/q at the target class l (q its normalised probability, inside the clip range),
 * dp_j = (g/s)·([j = l] − q) where ε ≤ p_j ≤ 1 − ε, else 0. Inputs dy ([n]), labels,
 * probabilities; output [n, k].
 */
export const wasmSparseCrossEntropyGrad: tf.KernelConfig = {
  kernelName: SPARSE_CROSS_ENTROPY_GRAD,
  backendName: 'wasm',
  kernelFunc: (kernelArgs) => {
    const { backend, labels, probabilities, n, k, epsilon } = unpack(kernelArgs);
    const dy = input(kernelArgs as unknown as WasmKernelArgs, 'dy');
    const out = backend.makeOutput([...probabilities.shape], 'float32');
    const [y, p, dp] = [labels, probabilities, out].map((t) => view(backend, t)) as Views3;
    const upstream = view(backend, dy);
    dp.fill(0);
    for (let r = 0; r < n; r++) {
      const label = y[r] as number;
      const row = rowOf(p, r, k, label, epsilon);
      if (row === null || row.q < epsilon || row.q > 1 - epsilon) continue;
      const scale = -(upstream[r] as number) / row.q / row.sum;
      for (let j = 0; j < k; j++) {
        const pj = p[r * k + j] as number;
        if (pj >= epsilon && pj <= 1 - epsilon) dp[r * k + j] = scale * ((j === row.label ? 1 : 0) - row.q);
      }
    }
    return out;
  },
};

/**
 * tfjs-layers' sparse categorical accuracy in one kernel: 1 where the first largest probability
 * is the target class, else 0. Inputs labels and probabilities; output [n].
 */
export const wasmSparseAccuracy: tf.KernelConfig = {
  kernelName: SPARSE_ACCURACY,
  backendName: 'wasm',
  kernelFunc: (kernelArgs) => {
    const { backend, labels, probabilities, n, k } = unpack(kernelArgs);
    const out = backend.makeOutput([n], 'float32');
    const [y, p, hit] = [labels, probabilities, out].map((t) => view(backend, t)) as Views3;
    for (let r = 0; r < n; r++) {
      let best = 0;
      for (let j = 1; j < k; j++) if ((p[r * k + j] as number) > (p[r * k + best] as number)) best = j;
      hit[r] = best === y[r] ? 1 : 0;
    }
    return out;
  },
};

/** Only the probabilities get a gradient; the labels are data. */
export const sparseCrossEntropyGradient: tf.GradConfig = {
  kernelName: SPARSE_CROSS_ENTROPY,
  inputsToSave: ['labels', 'probabilities'],
  gradFunc: (dy, saved) => {
    const [labels, probabilities] = saved as [tf.Tensor, tf.Tensor];
    return {
      probabilities: () =>
        tf.engine().runKernel(SPARSE_CROSS_ENTROPY_GRAD, { dy: dy as tf.Tensor, labels, probabilities }),
      labels: () => tf.zerosLike(labels),
    };
  },
};

/** Row r's target class, the sum of its clipped probabilities and the target's share; null without a valid class. */
function rowOf(
  p: Float32Array,
  r: number,
  k: number,
  target: number,
  epsilon: number,
): { label: number; sum: number; q: number } | null {
  const label = Math.floor(target);
  if (!(label >= 0 && label < k)) return null;
  let sum = 0;
  for (let j = 0; j < k; j++) sum += clip(p[r * k + j] as number, epsilon);
  return { label, sum, q: clip(p[r * k + label] as number, epsilon) / sum };
}

function clip(v: number, epsilon: number): number {
  return Math.min(Math.max(v, epsilon), 1 - epsilon);
}

type Views3 = [Float32Array, Float32Array, Float32Array];

function unpack(kernelArgs: Parameters<tf.KernelFunc>[0]) {
  const args = kernelArgs as unknown as WasmKernelArgs;
  const labels = input(args, 'labels');
  const probabilities = input(args, 'probabilities');
  const [n, k] = probabilities.shape as [number, number];
  if (probabilities.shape.length !== 2 || tf.util.sizeFromShape(labels.shape) !== n)
    throw new Error(
      `expected [n, k] probabilities and n labels, got [${probabilities.shape}] and [${labels.shape}]`,
    );
  return { backend: args.backend, labels, probabilities, n, k, epsilon: args.backend.epsilon() };
}

function view(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`expected float32, got ${t.dtype}`);
  return backend.typedArrayFromHeap(t) as Float32Array;
}
