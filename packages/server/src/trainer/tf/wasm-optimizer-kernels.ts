import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';
import { input, type WasmKernelArgs } from './wasm-kernel-args.js';

/** Kernel names of the one-pass optimizer updates (see fused-optimizers.ts). */
export const ADAM_UPDATE = 'TrainerAdamUpdate';
export const MOMENTUM_UPDATE = 'TrainerMomentumUpdate';

export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β₁ᵗ and 1 − β₂ᵗ, as float32 numbers. */
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

export interface MomentumUpdateAttrs {
  learningRate: number;
  momentum: number;
}

const f = Math.fround;

/**
 * Adam's update of one variable in a single pass over the wasm heap, where tfjs's optimizer runs
 * about ten kernels (each a call through the engine) per variable per batch.
 * Inputs value, gradient, m, v; outputs the new value, m and v.
 */
export const wasmAdamUpdate: tf.KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: (kernelArgs) => {
    const args = kernelArgs as unknown as WasmKernelArgs;
    const a = (args.attrs ?? {}) as unknown as AdamUpdateAttrs;
    const [value, gradient, m, v] = ['value', 'gradient', 'm', 'v'].map((name) => input(args, name)) as [
      tf.TensorInfo,
      tf.TensorInfo,
      tf.TensorInfo,
      tf.TensorInfo,
    ];
    const outputs = [value, m, v].map((t) => args.backend.makeOutput([...t.shape], 'float32'));
    // Views taken after every makeOutput: an allocation may grow the heap and detach earlier ones.
    const [x, g, m0, v0] = [value, gradient, m, v].map((t) => view(args.backend, t)) as Views<4>;
    const [x1, m1, v1] = outputs.map((t) => view(args.backend, t)) as Views<3>;
    const b1 = f(a.beta1);
    const b2 = f(a.beta2);
    const c1 = f(1 - a.beta1);
    const c2 = f(1 - a.beta2);
    const eps = f(a.epsilon);
    // The bias corrections folded into two factors: one division per element instead of three.
    const stepOverCorrection = f(-a.learningRate) / a.oneMinusAccBeta1;
    const overCorrection2 = 1 / a.oneMinusAccBeta2;
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      // m and v are kept as float32, as tfjs keeps them; the step is computed in double and
      // rounded once, within float32 rounding of tfjs's chain of kernels.
      const mi = (m0[i] as number) * b1 + gi * c1;
      const vi = (v0[i] as number) * b2 + gi * gi * c2;
      m1[i] = mi;
      v1[i] = vi;
      x1[i] = (x[i] as number) + (mi * stepOverCorrection) / (Math.sqrt(vi * overCorrection2) + eps);
    }
    return outputs;
  },
};

/**
 * SGD with momentum (not Nesterov) in one pass: accumulation ← μ·accumulation + gradient, value ←
 * value − lr·accumulation, rounded as tfjs's kernels round. Inputs value, gradient, accumulation;
 * outputs the new value and accumulation.
 */
export const wasmMomentumUpdate: tf.KernelConfig = {
  kernelName: MOMENTUM_UPDATE,
  backendName: 'wasm',
  kernelFunc: (kernelArgs) => {
    const args = kernelArgs as unknown as WasmKernelArgs;
    const a = (args.attrs ?? {}) as unknown as MomentumUpdateAttrs;
    const [value, gradient, accumulation] = ['value', 'gradient', 'accumulation'].map((name) =>
      input(args, name),
    ) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
    const outputs = [value, accumulation].map((t) => args.backend.makeOutput([...t.shape], 'float32'));
    const [x, g, acc] = [value, gradient, accumulation].map((t) => view(args.backend, t)) as Views<3>;
    const [x1, acc1] = outputs.map((t) => view(args.backend, t)) as Views<2>;
    const mu = f(a.momentum);
    const step = f(-a.learningRate);
    for (let i = 0; i < x.length; i++) {
      const ai = f(f(mu * (acc[i] as number)) + (g[i] as number));
      acc1[i] = ai;
      x1[i] = f(f(step * ai) + (x[i] as number));
    }
    return outputs;
  },
};

type Views<N extends number> = N extends 2
  ? [Float32Array, Float32Array]
  : N extends 3
    ? [Float32Array, Float32Array, Float32Array]
    : [Float32Array, Float32Array, Float32Array, Float32Array];

function view(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`optimizer updates take float32 tensors, not ${t.dtype}`);
  return backend.typedArrayFromHeap(t) as Float32Array;
}
