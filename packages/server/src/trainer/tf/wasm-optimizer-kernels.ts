import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';
import { input, type WasmKernelArgs } from './wasm-kernel-args.js';
import { trainerModule } from './wasm-trainer-module.js';

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
 * Adam's update of one variable in one pass of SIMD code over the wasm heap (wasm-trainer-module.ts),
 * where tfjs's optimizer runs about ten kernels (each a call through the engine) per variable per
 * batch. The bias corrections are folded into two factors; m and v are computed as tfjs computes
 * them. Inputs value, gradient, m, v; outputs the new value, m and v.
 */
export const wasmAdamUpdate: tf.KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: (kernelArgs) => {
    const args = kernelArgs as unknown as WasmKernelArgs;
    const a = (args.attrs ?? {}) as unknown as AdamUpdateAttrs;
    const ins = ['value', 'gradient', 'm', 'v'].map((name) => float32(input(args, name)));
    const outputs = (ins.slice(0, 1).concat(ins.slice(2)) as tf.TensorInfo[]).map((t) =>
      args.backend.makeOutput([...t.shape], 'float32'),
    );
    const c = [
      f(a.beta1),
      f(a.beta2),
      f(1 - a.beta1),
      f(1 - a.beta2),
      f(f(-a.learningRate) / a.oneMinusAccBeta1),
      f(1 / a.oneMinusAccBeta2),
      f(a.epsilon),
    ] as const;
    const pointers = [...ins, ...outputs].map((t) => offsetOf(args.backend, t));
    const count = sizeOf(outputs[0] as tf.TensorInfo);
    const body = count - (count % 4);
    trainerModule(args.backend).adam(...pointers, body * 4, ...c);
    // The last few elements (fewer than 4) with the same float32 operations.
    const [x, g, m, v, x1, m1, v1] = [...ins, ...outputs].map((t) => view(args.backend, t)) as Float32Array[];
    for (let i = body; i < count; i++) {
      const gi = (g as Float32Array)[i] as number;
      const mi = f(f(((m as Float32Array)[i] as number) * c[0]) + f(gi * c[2]));
      const vi = f(f(((v as Float32Array)[i] as number) * c[1]) + f(f(gi * gi) * c[3]));
      (m1 as Float32Array)[i] = mi;
      (v1 as Float32Array)[i] = vi;
      const step = f(f(mi * c[4]) / f(f(Math.sqrt(f(vi * c[5]))) + c[6]));
      (x1 as Float32Array)[i] = f(((x as Float32Array)[i] as number) + step);
    }
    return outputs;
  },
};

/**
 * SGD with momentum (not Nesterov) in one SIMD pass: accumulation ← μ·accumulation + gradient,
 * value ← value − lr·accumulation, float32 in tfjs's order (so the same values as its kernels).
 * Inputs value, gradient, accumulation; outputs the new value and accumulation.
 */
export const wasmMomentumUpdate: tf.KernelConfig = {
  kernelName: MOMENTUM_UPDATE,
  backendName: 'wasm',
  kernelFunc: (kernelArgs) => {
    const args = kernelArgs as unknown as WasmKernelArgs;
    const a = (args.attrs ?? {}) as unknown as MomentumUpdateAttrs;
    const ins = ['value', 'gradient', 'accumulation'].map((name) => float32(input(args, name)));
    const [value, , accumulation] = ins as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
    const outputs = [value, accumulation].map((t) => args.backend.makeOutput([...t.shape], 'float32'));
    const mu = f(a.momentum);
    const step = f(-a.learningRate);
    const pointers = [...ins, ...outputs].map((t) => offsetOf(args.backend, t));
    const count = sizeOf(value);
    const body = count - (count % 4);
    trainerModule(args.backend).momentum(...pointers, body * 4, mu, step);
    const [x, g, acc, x1, acc1] = [...ins, ...outputs].map((t) => view(args.backend, t)) as Float32Array[];
    for (let i = body; i < count; i++) {
      const ai = f(f(mu * ((acc as Float32Array)[i] as number)) + ((g as Float32Array)[i] as number));
      (acc1 as Float32Array)[i] = ai;
      (x1 as Float32Array)[i] = f(f(step * ai) + ((x as Float32Array)[i] as number));
    }
    return outputs;
  },
};

function float32(t: tf.TensorInfo): tf.TensorInfo {
  if (t.dtype !== 'float32') throw new Error(`optimizer updates take float32 tensors, not ${t.dtype}`);
  return t;
}

function sizeOf(t: tf.TensorInfo): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

function offsetOf(backend: BackendWasm, t: tf.TensorInfo): number {
  return view(backend, t).byteOffset;
}

function view(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}
