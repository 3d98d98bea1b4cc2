import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PretrainedModelOptions } from '@huggingface/transformers';
import { keepOrtTelemetryOff } from '../../config/index.js';
import { sessionOptionsFor } from '../onnx/session-options.js';
import { chooseDtype, type LoadDtype } from './choose-dtype.js';
import { useOfflineEnv } from './offline-env.js';
import type { PipelineParts } from './pipeline-parts.js';
import type { TransformersOptions } from './transformers-options.js';

export interface PipelineLoad {
  /** The model folder: `config.json`, tokenizer files, `onnx/*.onnx`. */
  folder: string;
  options: TransformersOptions;
  /** onnxruntime intra-op threads for each of the model's sessions. */
  threads: number;
}

/** A loaded pipeline and the dtype it was loaded in (configured, or chosen from the files). */
export interface LoadedPipeline {
  parts: PipelineParts;
  dtype: LoadDtype;
}

/**
 * A transformers.js pipeline over a local folder. The folder is passed as an absolute path: a path
 * is not a valid Hub id, so transformers.js reads `<folder>/<file>` as is and never consults
 * `env.localModelPath` (process-wide state) or the Hub. The module is imported here, not at the
 * top, so runners of other backends never load it.
 */
export async function loadPipeline(load: PipelineLoad): Promise<LoadedPipeline> {
  keepOrtTelemetryOff();
  const { env, pipeline, ModelRegistry } = await import('@huggingface/transformers');
  useOfflineEnv(env);
  const folder = path.resolve(load.folder);
  const { task, taskConfig } = load.options;
  const dtype = await chooseDtype({ registry: ModelRegistry, folder, task, configured: taskConfig.dtype });
  try {
    const parts = await pipeline(task, folder, pipelineOptions(dtype, load.threads));
    return { parts: parts as unknown as PipelineParts, dtype };
  } catch (err) {
    throw new Error(`cannot load ${task} model from ${folder}: ${await loadHint(err, folder)}`, {
      cause: err,
    });
  }
}

/** CPU, the dtype, local files only, and the session options transformers.js hands to onnxruntime. */
export function pipelineOptions(dtype: LoadDtype, threads: number): PretrainedModelOptions {
  return {
    device: 'cpu',
    dtype,
    local_files_only: true,
    // Threads from the CPU budget and no spin-waiting, like the onnx runner's sessions.
    session_options: sessionOptionsFor(threads, {}),
  };
}

/** A missing ONNX file usually means the wrong dtype: list what the folder has. */
async function loadHint(err: unknown, folder: string): Promise<string> {
  const message = err instanceof Error ? err.message : String(err);
  if (!/onnx/.test(message)) return message;
  const files = await readdir(path.join(folder, 'onnx')).catch(() => []);
  const found = files.filter((f) => f.endsWith('.onnx'));
  return `${message} (onnx/ holds: ${found.join(', ') || 'nothing'}; config.dtype picks the suffix: fp32 → none, q8 → _quantized, fp16 → _fp16)`;
}
