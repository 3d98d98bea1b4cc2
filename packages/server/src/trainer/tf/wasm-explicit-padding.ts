import * as tf from '@tensorflow/tfjs-core';
import { as4d, input, type WasmKernelArgs } from './wasm-kernel-args.js';

/**
 * The wasm backend's Conv2D and FusedConv2D compute 'same' padding wrongly for a non-square filter
 * with strides (e.g. 1×3 at stride 3 over 8×9: off by whole pixels; a test compares with the CPU
 * kernels). Handing them the explicit padding that 'same' means gives the right result, so both
 * kernels are wrapped to do that.
 */
export function explicitPaddingKernel(kernelName: 'Conv2D' | 'FusedConv2D'): tf.KernelConfig {
  const stock = tf.getKernel(kernelName, 'wasm');
  if (!stock) throw new Error(`the wasm backend has no ${kernelName} kernel`);
  return {
    ...stock,
    kernelFunc: (kernelArgs) => {
      const args = kernelArgs as unknown as WasmKernelArgs;
      const attrs = (args.attrs ?? {}) as unknown as ConvAttrs;
      if (attrs.pad !== 'same') return stock.kernelFunc(kernelArgs);
      const info = tf.backend_util.computeConv2DInfo(
        as4d(input(args, 'x').shape),
        as4d(input(args, 'filter').shape),
        attrs.strides,
        attrs.dilations,
        'same',
        attrs.dimRoundingMode,
        false,
        tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
      );
      const { top, bottom, left, right } = info.padInfo;
      const pad = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
      return stock.kernelFunc({ ...kernelArgs, attrs: { ...kernelArgs.attrs, pad } });
    },
  };
}

interface ConvAttrs {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}
