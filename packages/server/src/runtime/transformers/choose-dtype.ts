import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ModelRegistry } from '@huggingface/transformers';
import { AppError } from '../../platform/errors/index.js';
import type { TransformersTask } from '../../wire/index.js';
import {
  describeOnnxFiles,
  type TransformersDtype,
  type TransformersTaskConfig,
  taskConfigError,
  transformersDtypes,
} from '../../wire/task-config/index.js';

export type LoadDtype = NonNullable<TransformersTaskConfig['dtype']>;

interface DtypeChoice {
  registry: typeof ModelRegistry;
  folder: string;
  task: TransformersTask;
  configured: TransformersTaskConfig['dtype'];
}

/**
 * The dtype to load. None configured: the first of `transformersDtypes` (fp32, fp16, q8, …) whose
 * session files (`encoder_model`, `decoder_model_merged` for Whisper; `model` for an encoder) are
 * all in `onnx/`, so a folder of quantized files loads as it is. A configured one whose files are
 * missing is refused naming them; a per-file dtype is left to transformers.js.
 */
export async function chooseDtype({ registry, folder, task, configured }: DtypeChoice): Promise<LoadDtype> {
  if (configured !== undefined && typeof configured !== 'string') return configured;
  const available = await completeDtypes(registry, folder);
  // A folder transformers.js cannot read: its own load says why.
  if (available === undefined) return configured ?? 'fp32';
  if (configured === undefined) {
    const first = transformersDtypes.find((d) => available.includes(d));
    if (first) return first;
    throw new AppError(
      'invalid_artifact',
      `cannot load ${task} model from ${folder}: no dtype has every ONNX file the model needs (onnx/ holds: ${await onnxFiles(folder)})`,
    );
  }
  if (available.includes(configured)) return configured;
  const needed = await registry
    .get_model_files(folder, { dtype: configured })
    .then((files) => files.filter((f) => f.endsWith('.onnx')).join(', '))
    .catch(() => `*_${configured}.onnx`);
  const message =
    `${configured} needs ${needed}, which the folder lacks (onnx/ holds: ${await onnxFiles(folder)}; ` +
    `complete dtypes: ${available.join(', ') || 'none'}; without config.dtype one is chosen from the files)`;
  throw taskConfigError(task, 'config.dtype', message);
}

/** The dtypes, of those a config may name, whose session files are all in the folder. */
async function completeDtypes(
  registry: typeof ModelRegistry,
  folder: string,
): Promise<TransformersDtype[] | undefined> {
  try {
    const found = await registry.get_available_dtypes(folder, { local_files_only: true });
    return transformersDtypes.filter((d) => found.includes(d));
  } catch {
    return undefined;
  }
}

async function onnxFiles(folder: string): Promise<string> {
  const files = await readdir(path.join(folder, 'onnx')).catch(() => []);
  return describeOnnxFiles(files.filter((f) => f.endsWith('.onnx')).sort());
}
