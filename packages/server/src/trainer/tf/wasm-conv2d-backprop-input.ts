import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { runWasmKernel } from './run-wasm-kernel.js';
import { as4d, input, type WasmKernelArgs } from './wasm-kernel-args.js';

/**
 * The input gradient of a convolution as one forward convolution (XNNPACK) instead of the stock wasm
 * kernel's scalar loops (a quarter of a LeNet step): dx[n, i, j, c] = Σ dy[n, p, q, o] · W[k, l, c, o]
 * over i = p·s + k − top, which is the convolution of dy, dilated by the stride and padded by
 * (filter − 1 − padding), with the filter turned by 180° and its channels swapped (kh, kw, O, C).
 * Other layouts and paddings wider than the filter go to the stock kernel.
 */
export function wasmConv2dBackpropInput(): tf.KernelConfig {
  const stock = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!stock) throw new Error('the wasm backend has no Conv2DBackpropInput kernel');
  return {
    ...stock,
    kernelFunc: (kernelArgs) => {
      const args = kernelArgs as unknown as WasmKernelArgs;
      const dy = input(args, 'dy');
      const filter = input(args, 'filter');
      const attrs = (args.attrs ?? {}) as unknown as BackpropInputAttrs;
      const info = tf.backend_util.computeConv2DInfo(
        as4d(attrs.inputShape),
        as4d(filter.shape),
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
      );
      const dilatedHeight = (info.outHeight - 1) * info.strideHeight + 1;
      const dilatedWidth = (info.outWidth - 1) * info.strideWidth + 1;
      const pad = [
        [0, 0],
        [info.filterHeight - 1 - info.padInfo.top, info.inHeight + info.padInfo.top - dilatedHeight],
        [info.filterWidth - 1 - info.padInfo.left, info.inWidth + info.padInfo.left - dilatedWidth],
        [0, 0],
      ];
      if (info.dataFormat !== 'channelsLast' || pad.flat().some((p) => p < 0))
        return stock.kernelFunc(kernelArgs);
      const temporaries: tf.TensorInfo[] = [];
      const keep = (t: tf.TensorInfo) => {
        temporaries.push(t);
        return t;
      };
      const { backend } = args;
      try {
        const spread =
          info.strideHeight === 1 && info.strideWidth === 1
            ? dy
            : keep(dilate(backend, dy, info.strideHeight, info.strideWidth, dilatedHeight, dilatedWidth));
        const turned = keep(runWasmKernel('Reverse', backend, { x: filter }, { dims: [0, 1] }));
        const swapped = keep(runWasmKernel('Transpose', backend, { x: turned }, { perm: [0, 1, 3, 2] }));
        return runWasmKernel(
          'Conv2D',
          backend,
          { x: spread, filter: swapped },
          { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1] },
        );
      } finally {
        for (const t of temporaries) backend.disposeData(t.dataId);
      }
    },
  };
}

/** dy with (stride − 1) zero rows and columns between its own: the positions the forward pass sampled. */
function dilate(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  strideHeight: number,
  strideWidth: number,
  height: number,
  width: number,
): tf.TensorInfo {
  const [n, oh, ow, c] = as4d(dy.shape);
  const out = backend.makeOutput([n, height, width, c], 'float32');
  // Views taken after makeOutput: an allocation may grow the heap and detach earlier ones.
  const from = backend.typedArrayFromHeap(dy) as Float32Array;
  const to = backend.typedArrayFromHeap(out) as Float32Array;
  to.fill(0);
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < oh; p++) {
      for (let q = 0; q < ow; q++) {
        const source = ((b * oh + p) * ow + q) * c;
        const target = ((b * height + p * strideHeight) * width + q * strideWidth) * c;
        to.set(from.subarray(source, source + c), target);
      }
    }
  }
  return out;
}

interface BackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}
