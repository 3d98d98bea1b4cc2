import * as tf from '@tensorflow/tfjs-core';
// Side effects: register the CPU kernels and, with the layers API, every gradient.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { wasmFilesDir } from './wasm-files.js';
import { missingWasmKernels, registerWasmKernelFixes } from './wasm-kernel-fixes.js';

export type TrainingBackend = 'wasm' | 'cpu';

export interface BackendChoice {
  readonly backend: TrainingBackend;
  /** Threads the backend computes with (the wasm build runs on one in Node; see below). */
  readonly threads: number;
  /** Why the wanted backend or thread count could not be had, for the job's log. */
  readonly notes: readonly string[];
}

let wasmPrepared = false;

/**
 * Makes `wanted` the TensorFlow.js backend of this thread. The wasm backend (XNNPACK, SIMD) is the
 * fast one; the CPU backend (plain JavaScript) is the fallback when wasm cannot start or lacks a
 * kernel. Threads: the threaded wasm build creates its workers from `blob:` URLs, which Node's
 * worker_threads refuses, and tfjs turns it off in Node; so wasm computes on one thread whatever
 * the budget, and a job's parallelism comes from running jobs side by side.
 */
export async function useTrainingBackend(wanted: TrainingBackend, threads: number): Promise<BackendChoice> {
  tf.env().set('PROD', true); // no console banner, no debug checks
  const notes: string[] = [];
  if (wanted === 'wasm') {
    const failure = await startWasm();
    if (failure === null) {
      if (threads > 1)
        notes.push(`the wasm backend runs single-threaded in Node (asked for ${threads} threads)`);
      return { backend: 'wasm', threads: 1, notes };
    }
    notes.push(`${failure}; training on the CPU backend`);
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the TensorFlow.js CPU backend did not start');
  return { backend: 'cpu', threads: 1, notes };
}

/** Null when wasm is the backend now, else why not. */
async function startWasm(): Promise<string | null> {
  if (!wasmPrepared) {
    registerWasmKernelFixes();
    setWasmPaths(wasmFilesDir());
    wasmPrepared = true;
  }
  const missing = missingWasmKernels();
  if (missing.length > 0) return `the wasm backend lacks the kernels ${missing.join(', ')}`;
  try {
    if (await tf.setBackend('wasm')) return null;
    return 'the wasm backend did not start';
  } catch (err) {
    return `the wasm backend did not start (${err instanceof Error ? err.message : String(err)})`;
  }
}
