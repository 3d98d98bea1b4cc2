import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { runWasmKernel } from './run-wasm-kernel.js';
import { input, type WasmKernelArgs } from './wasm-kernel-args.js';

/**
 * The wasm backend's BatchMatMul hands a product with a transposed operand to a plain loop about ten
 * times slower than XNNPACK, and a dense layer's gradients are exactly such products (dy·Wᵀ and
 * xᵀ·dy). For a single matrix product this wrapper transposes the operand first (a copy that costs a
 * fraction of the product) and runs the stock kernel untransposed, which takes XNNPACK's path.
 */
export function wasmBatchMatMul(): tf.KernelConfig {
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  if (!stock) throw new Error('the wasm backend has no BatchMatMul kernel');
  return {
    ...stock,
    kernelFunc: (kernelArgs) => {
      const args = kernelArgs as unknown as WasmKernelArgs;
      const attrs = (args.attrs ?? {}) as unknown as MatMulAttrs;
      const a = input(args, 'a');
      const b = input(args, 'b');
      if ((!attrs.transposeA && !attrs.transposeB) || !singleMatrix(a) || !singleMatrix(b))
        return stock.kernelFunc(kernelArgs);
      const temporaries: tf.TensorInfo[] = [];
      const plain = (t: tf.TensorInfo, transposed: boolean) => {
        if (!transposed) return t;
        const copy = runWasmKernel(
          'Transpose',
          args.backend,
          { x: t },
          { perm: swapLastTwo(t.shape.length) },
        );
        temporaries.push(copy);
        return copy;
      };
      try {
        return stock.kernelFunc({
          ...kernelArgs,
          inputs: { a: plain(a, attrs.transposeA), b: plain(b, attrs.transposeB) },
          attrs: { ...kernelArgs.attrs, transposeA: false, transposeB: false },
        }) as tf.TensorInfo;
      } finally {
        for (const t of temporaries) dispose(args.backend, t);
      }
    },
  };
}

/** Rank 2, or higher with every leading dimension 1: one matrix, not a batch of them. */
function singleMatrix(t: tf.TensorInfo): boolean {
  return t.shape.length >= 2 && t.shape.slice(0, -2).every((d) => d === 1);
}

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

function dispose(backend: BackendWasm, t: tf.TensorInfo): void {
  backend.disposeData(t.dataId);
}

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}
