import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { input, type WasmKernelArgs } from './wasm-kernel-args.js';
import { trainerModule } from './wasm-trainer-module.js';

/**
 * What every dense and convolutional layer runs besides its product, on the SIMD module
 * (wasm-trainer-module.ts) where the stock wasm kernels take slow paths: the bias added to each row
 * (Add with a broadcast operand goes through a generic index loop, ten times slower than a plain
 * Add), the bias gradient (Sum over all leading axes transposes the whole tensor first) and the
 * ReLU gradient (tfjs-layers runs Step, Cast and Multiply). Other shapes go to the stock kernels.
 */
export const RELU_GRAD = 'TrainerReluGrad';

/** Rows of at least 4 floats, the last axis of a float32 tensor of rank ≥ 2: [rows, rowBytes]. */
function rowsOf(t: tf.TensorInfo): [number, number] | null {
  const c = t.shape.at(-1) ?? 0;
  if (t.dtype !== 'float32' || t.shape.length < 2 || c < 4) return null;
  return [tf.util.sizeFromShape(t.shape) / c, c * 4];
}

function offset(backend: BackendWasm, t: tf.TensorInfo): number {
  return (backend.typedArrayFromHeap(t) as Float32Array).byteOffset;
}

/** Add of a bias ([C] or [1, …, C]) to every row of [..., C]. */
export function wasmBiasAdd(): tf.KernelConfig {
  const stock = tf.getKernel('Add', 'wasm');
  if (!stock) throw new Error('the wasm backend has no Add kernel');
  return {
    ...stock,
    kernelFunc: (kernelArgs) => {
      const args = kernelArgs as unknown as WasmKernelArgs;
      const a = input(args, 'a');
      const b = input(args, 'b');
      const [x, bias] = isBiasOf(b, a) ? [a, b] : isBiasOf(a, b) ? [b, a] : [null, null];
      const rows = x ? rowsOf(x) : null;
      if (!x || !bias || !rows) return stock.kernelFunc(kernelArgs);
      const out = args.backend.makeOutput([...x.shape], 'float32');
      const { backend } = args;
      trainerModule(backend).addRows(
        offset(backend, x),
        offset(backend, bias),
        offset(backend, out),
        ...rows,
      );
      return out;
    },
  };
}

function isBiasOf(bias: tf.TensorInfo, x: tf.TensorInfo): boolean {
  const c = x.shape.at(-1);
  return (
    bias.dtype === 'float32' &&
    bias.shape.at(-1) === c &&
    bias.shape.length <= x.shape.length &&
    bias.shape.slice(0, -1).every((d) => d === 1) &&
    x.shape.length >= 2
  );
}

/** Sum over every axis but the last: a bias's gradient. */
export function wasmBiasGradSum(): tf.KernelConfig {
  const stock = tf.getKernel('Sum', 'wasm');
  if (!stock) throw new Error('the wasm backend has no Sum kernel');
  return {
    ...stock,
    kernelFunc: (kernelArgs) => {
      const args = kernelArgs as unknown as WasmKernelArgs;
      const x = input(args, 'x');
      const attrs = (args.attrs ?? {}) as unknown as { axis: number | number[]; keepDims: boolean };
      const rank = x.shape.length;
      const axes = tf.util.parseAxisParam(attrs.axis, [...x.shape]).sort((p, q) => p - q);
      const leading = axes.length === rank - 1 && axes.every((axis, i) => axis === i);
      const rows = leading ? rowsOf(x) : null;
      if (!rows) return stock.kernelFunc(kernelArgs);
      const c = x.shape[rank - 1] as number;
      const out = args.backend.makeOutput(attrs.keepDims ? [...Array(rank - 1).fill(1), c] : [c], 'float32');
      const { backend } = args;
      trainerModule(backend).sumRows(offset(backend, x), offset(backend, out), ...rows);
      return out;
    },
  };
}

/** dx = x > 0 ? dy : 0 in one pass. Inputs dy, x (float32, same shape). */
export const wasmReluGrad: tf.KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: (kernelArgs) => {
    const args = kernelArgs as unknown as WasmKernelArgs;
    const dy = input(args, 'dy');
    const x = input(args, 'x');
    const { backend } = args;
    const out = backend.makeOutput([...x.shape], 'float32');
    const count = tf.util.sizeFromShape(x.shape);
    const body = count - (count % 4);
    trainerModule(backend).reluGrad(offset(backend, dy), offset(backend, x), offset(backend, out), body * 4);
    const [g, v, d] = [dy, x, out].map((t) => backend.typedArrayFromHeap(t) as Float32Array) as [
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    for (let i = body; i < count; i++) d[i] = (v[i] as number) > 0 ? (g[i] as number) : 0;
    return out;
  },
};

/**
 * ReLU's gradient as one kernel on wasm; elsewhere (and for other dtypes) tfjs-layers' own
 * dy·step(x). Unlike step, a NaN input passes no gradient: a NaN there has already made the loss NaN.
 */
export const reluGradient: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    const grad = dy as tf.Tensor;
    return {
      x: () =>
        tf.getBackend() === 'wasm' && x.dtype === 'float32' && grad.dtype === 'float32'
          ? (tf.engine().runKernel(RELU_GRAD, { dy: grad, x }) as tf.Tensor)
          : tf.mul(grad, tf.cast(tf.step(x), 'float32')),
    };
  },
};
