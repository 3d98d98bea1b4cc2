import * as tf from '@tensorflow/tfjs-core';
import { as4d, input, type WasmKernelArgs } from './wasm-kernel-args.js';
import { trainerModule } from './wasm-trainer-module.js';

/**
 * The wasm backend's MaxPoolGrad loses the gradient of every window whose maximum is negative (it
 * starts its search at 0). This one routes each output's gradient to the first largest input of its
 * window, as the CPU kernel does, over the wasm heap: windows that lie apart (stride ≥ window, no
 * padding, at least 4 channels) in the trainer's SIMD module, any other pooling in the loop below.
 */
export const wasmMaxPoolGrad: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: (kernelArgs) => maxPoolGrad(kernelArgs as unknown as WasmKernelArgs),
};

function maxPoolGrad(args: WasmKernelArgs): tf.TensorInfo {
  const { backend } = args;
  const x = input(args, 'input');
  const dy = input(args, 'dy');
  const attrs = (args.attrs ?? {}) as unknown as PoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    as4d(x.shape),
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const dx = backend.makeOutput([...x.shape], 'float32');
  // Views taken after makeOutput: an allocation may grow the heap and detach earlier ones.
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  const dyValues = backend.typedArrayFromHeap(dy) as Float32Array;
  const dxValues = backend.typedArrayFromHeap(dx) as Float32Array;
  dxValues.fill(0);
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { top, left, bottom, right } = info.padInfo;
  if (
    c >= 4 &&
    top + left + bottom + right === 0 &&
    info.strideHeight >= info.filterHeight &&
    info.strideWidth >= info.filterWidth
  ) {
    // Windows apart (LeNet's 2×2 at stride 2): SIMD over channels in the trainer's module.
    const offset = (t: tf.TensorInfo) => (backend.typedArrayFromHeap(t) as Float32Array).byteOffset;
    trainerModule(backend).maxPoolGrad(
      ...[offset(x), offset(dy), offset(dx), info.batchSize, oh, ow, info.filterHeight, info.filterWidth],
      ...[info.strideHeight, info.strideWidth, h, w, c * 4],
    );
    return dx;
  }
  // Per output pixel, all channels at once: the window's rows are read contiguously.
  const best = new Float64Array(c);
  const at = new Int32Array(c);
  for (let b = 0; b < info.batchSize; b++) {
    for (let r = 0; r < oh; r++) {
      const r0 = r * info.strideHeight - info.padInfo.top;
      const rFrom = Math.max(0, r0);
      const rTo = Math.min(h, r0 + info.filterHeight);
      for (let q = 0; q < ow; q++) {
        const q0 = q * info.strideWidth - info.padInfo.left;
        const qFrom = Math.max(0, q0);
        const qTo = Math.min(w, q0 + info.filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let i = rFrom; i < rTo; i++) {
          for (let j = qFrom; j < qTo; j++) {
            const k = ((b * h + i) * w + j) * c;
            for (let d = 0; d < c; d++) {
              const v = xValues[k + d] as number;
              if (v > (best[d] as number)) {
                best[d] = v;
                at[d] = k + d;
              }
            }
          }
        }
        const o = ((b * oh + r) * ow + q) * c;
        for (let d = 0; d < c; d++) {
          const k = at[d] as number;
          if (k >= 0) dxValues[k] = (dxValues[k] as number) + (dyValues[o + d] as number);
        }
      }
    }
  }
  return dx;
}

interface PoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}
