import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isAppError } from '../../platform/errors/index.js';
import type { HandoffInput, HandoffMessage, ParityFigures } from '../../wire/handoff/index.js';
import { checkParity, exportToOnnx, servingConfig } from '../export/index.js';
import { loadTrainedModel } from '../model/model-artifacts.js';
import { useTrainingBackend } from '../tf/tf-backend.js';
import { exportOptionsOf } from './export-options-of.js';
import { type ParityInputs, parityInputs } from './parity-inputs.js';
import { servingConfigOf } from './serving-config-of.js';

export const ONNX_FILE = 'model.onnx';

/**
 * Exports the trained model to ONNX, checks the export against the trained model's outputs on the
 * validation rows fed as serving will feed them, and writes `model.onnx`. A failed check is
 * reported with its numbers, not thrown: the job fails with them.
 */
export async function handOff(input: HandoffInput): Promise<HandoffMessage> {
  const { result } = input;
  await useTrainingBackend('cpu', 1);
  const model = await loadTrainedModel(result.model);
  try {
    const options = exportOptionsOf(result.preprocessing, result.model.outputUnits);
    const bytes = exportToOnnx(model, options);
    const rows = [...result.validation.rows];
    const inputs = await parityInputs(result.preprocessing, input.source, rows);
    const trainedOutputs = rows.length > 0 ? result.validation.outputs : predict(model, inputs);
    const expected = options.binaryOutput === 'both' ? bothClasses(trainedOutputs) : trainedOutputs;
    const parity = await compare(bytes, inputs, expected, input.tolerance, rows.length);
    await mkdir(input.outDir, { recursive: true });
    const onnxPath = path.join(input.outDir, ONNX_FILE);
    await writeFile(onnxPath, bytes);
    return {
      type: 'exported',
      onnxPath,
      parity,
      serving: servingConfigOf(result.preprocessing, servingConfig(model, options)),
      libraries: libraryVersions(),
    };
  } finally {
    model.dispose();
  }
}

async function compare(
  bytes: Uint8Array,
  inputs: ParityInputs,
  expected: Float32Array,
  tolerance: number,
  rows: number,
): Promise<ParityFigures> {
  if (rows === 0) return { maxAbsDiff: 0, tolerance, rows, passed: true };
  try {
    const checked = await checkParity(bytes, inputs.serving, inputs.servingShape, expected, tolerance);
    return { maxAbsDiff: checked.maxAbsDiff, tolerance, rows, passed: true };
  } catch (err) {
    const details = isAppError(err) ? (err.details as { maxAbsDiff?: unknown } | undefined) : undefined;
    if (typeof details?.maxAbsDiff !== 'number') throw err;
    return { maxAbsDiff: details.maxAbsDiff, tolerance, rows, passed: false };
  }
}

/** The trained model's own outputs, when no validation rows were held out to take them from. */
function predict(model: LayersModel, inputs: ParityInputs): Float32Array {
  return tf.tidy(() => {
    const out = model.predict(tf.tensor(inputs.trained, inputs.trainedShape)) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

/** P(positive) per row → [1 − p, p] per row, as the exported head gives both classes. */
function bothClasses(positive: Float32Array): Float32Array {
  const out = new Float32Array(positive.length * 2);
  positive.forEach((p, i) => {
    out[2 * i] = Math.fround(1 - p);
    out[2 * i + 1] = p;
  });
  return out;
}

function libraryVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
  return {
    '@tensorflow/tfjs-core': tf.version_core,
    '@tensorflow/tfjs-layers': versionOf('@tensorflow/tfjs-layers'),
    'onnxruntime-node': versionOf('onnxruntime-node'),
  };
}
