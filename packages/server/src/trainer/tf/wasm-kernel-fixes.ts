import * as tf from '@tensorflow/tfjs-core';
import { wasmBatchMatMul } from './wasm-batch-mat-mul.js';
import { wasmConv2dBackpropFilter } from './wasm-conv2d-backprop-filter.js';
import { wasmConv2dBackpropInput } from './wasm-conv2d-backprop-input.js';
import { explicitPaddingKernel } from './wasm-explicit-padding.js';
import { reluGradient, wasmBiasAdd, wasmBiasGradSum, wasmReluGrad } from './wasm-layer-kernels.js';
import { wasmMaxPoolGrad } from './wasm-max-pool-grad.js';
import { wasmAdamUpdate, wasmMomentumUpdate } from './wasm-optimizer-kernels.js';
import {
  sparseCrossEntropyGradient,
  wasmSparseAccuracy,
  wasmSparseCrossEntropy,
  wasmSparseCrossEntropyGrad,
} from './wasm-sparse-cross-entropy.js';

/** Kernels that training runs (forward and gradient) and that the wasm backend must provide. */
export const TRAINING_KERNELS = [
  'Conv2D',
  'FusedConv2D',
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'MaxPool',
  'MaxPoolGrad',
  'AvgPool',
  'AvgPoolGrad',
  '_FusedMatMul',
  'BatchMatMul',
] as const;

/**
 * Adds what the stock wasm backend lacks for training and replaces what it gets wrong (each file says
 * how). Registered before the backend starts, so its setup runs them like its own kernels.
 */
export function registerWasmKernelFixes(): void {
  const replacements = [
    wasmConv2dBackpropFilter,
    wasmMaxPoolGrad,
    explicitPaddingKernel('Conv2D'),
    explicitPaddingKernel('FusedConv2D'),
    wasmConv2dBackpropInput(),
    wasmBatchMatMul(),
    wasmAdamUpdate,
    wasmMomentumUpdate,
    wasmSparseCrossEntropy,
    wasmSparseCrossEntropyGrad,
    wasmSparseAccuracy,
    wasmBiasAdd(),
    wasmBiasGradSum(),
    wasmReluGrad,
  ];
  for (const kernel of replacements) {
    if (tf.getKernel(kernel.kernelName, 'wasm')) tf.unregisterKernel(kernel.kernelName, 'wasm');
    tf.registerKernel(kernel);
  }
  if (!tf.getGradient(sparseCrossEntropyGradient.kernelName)) tf.registerGradient(sparseCrossEntropyGradient);
  // Replaces tfjs-layers' ReLU gradient (it falls back to that one off wasm).
  tf.registerGradient(reluGradient);
}

/** Training kernels still missing on wasm (none once the fixes are in). */
export function missingWasmKernels(): string[] {
  return TRAINING_KERNELS.filter((name) => !tf.getKernel(name, 'wasm'));
}
