import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { runWasmKernel } from './run-wasm-kernel.js';
import { as4d, input, type WasmKernelArgs } from './wasm-kernel-args.js';

/**
 * The filter gradient of a convolution, which the wasm backend lacks, as one forward convolution
 * (XNNPACK) instead of the CPU kernel's JavaScript loops: with the batch taken as channels,
 * dW[i, j, c, o] = Σ_n,p,q x[n, p·s + i − top, q·s + j − left, c] · dy[n, p, q, o] is the
 * convolution of xᵀ (C, H, W, N) with dyᵀ (OH, OW, N, O) dilated by the stride, padded so its output
 * is the filter's kh × kw; input rows and columns the forward pass never reached are cropped.
 */
export const wasmConv2dBackpropFilter: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: (kernelArgs) => conv2dBackpropFilter(kernelArgs as unknown as WasmKernelArgs),
};

function conv2dBackpropFilter(args: WasmKernelArgs): tf.TensorInfo {
  const x = input(args, 'x');
  const dy = input(args, 'dy');
  const { backend } = args;
  const attrs = (args.attrs ?? {}) as unknown as BackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    as4d(x.shape),
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error('Conv2DBackpropFilter on wasm needs NHWC data');
  const { top, left } = info.padInfo;
  const bottom = info.filterHeight + (info.outHeight - 1) * info.strideHeight - info.inHeight - top;
  const right = info.filterWidth + (info.outWidth - 1) * info.strideWidth - info.inWidth - left;
  const temporaries: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => {
    temporaries.push(t);
    return t;
  };
  try {
    const reached =
      bottom < 0 || right < 0
        ? keep(
            runWasmKernel(
              'Slice',
              backend,
              { x },
              {
                begin: [0, 0, 0, 0],
                size: [
                  info.batchSize,
                  info.inHeight + Math.min(0, bottom),
                  info.inWidth + Math.min(0, right),
                  info.inChannels,
                ],
              },
            ),
          )
        : x;
    const xT = keep(runWasmKernel('Transpose', backend, { x: reached }, { perm: [3, 1, 2, 0] }));
    const dyT = keep(runWasmKernel('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] }));
    const pad = [
      [0, 0],
      [top, Math.max(0, bottom)],
      [left, Math.max(0, right)],
      [0, 0],
    ];
    const dilations = [info.strideHeight, info.strideWidth];
    const grad = keep(
      runWasmKernel(
        'Conv2D',
        backend,
        { x: xT, filter: dyT },
        { strides: [1, 1], pad, dataFormat: 'NHWC', dilations },
      ),
    );
    return runWasmKernel('Transpose', backend, { x: grad }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temporaries) dispose(backend, t);
  }
}

function dispose(backend: BackendWasm, t: tf.TensorInfo): void {
  backend.disposeData(t.dataId);
}

interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}
