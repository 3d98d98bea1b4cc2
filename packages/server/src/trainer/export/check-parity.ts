import * as ort from 'onnxruntime-node';
import { keepOrtTelemetryOff } from '../../config/index.js';
import { AppError } from '../../platform/errors/index.js';

export interface ParityResult {
  ok: boolean;
  maxAbsDiff: number;
  /** Where the exported model strays most from `expected` (index into the flat output). */
  worst: { index: number; expected: number; got: number };
}

/**
 * Runs the exported model once in onnxruntime-node and compares its first output with what the
 * trained model gave for the same inputs (`model.predict`). This runs in the training worker, never
 * in the API process, which loads no model code. Returns the comparison when every value is within
 * `tolerance`; otherwise throws (internal_error: an exporter bug, not the caller's input) with the
 * numbers in the message and the result in `details`. NaN matches only NaN.
 */
export async function checkParity(
  onnxBytes: Uint8Array,
  inputs: Float32Array,
  shape: readonly number[],
  expected: Float32Array,
  tolerance = 1e-4,
): Promise<ParityResult> {
  const got = await runOnce(onnxBytes, inputs, shape);
  if (got.length !== expected.length)
    throw new AppError(
      'internal_error',
      `ONNX parity: the exported model gave ${got.length} values, the trained model ${expected.length}.`,
    );
  const result = compare(expected, got, tolerance);
  if (result.ok) return result;
  const { index, expected: want, got: have } = result.worst;
  throw new AppError(
    'internal_error',
    `ONNX parity: max |difference| ${result.maxAbsDiff} > tolerance ${tolerance}; at index ${index} the trained model gave ${want}, the exported model ${have}.`,
    { details: { ...result, tolerance } },
  );
}

async function runOnce(
  onnxBytes: Uint8Array,
  inputs: Float32Array,
  shape: readonly number[],
): Promise<Float32Array> {
  keepOrtTelemetryOff();
  const session = await ort.InferenceSession.create(onnxBytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  try {
    const [inputName] = session.inputNames;
    const [outputName] = session.outputNames;
    if (inputName === undefined || outputName === undefined)
      throw new AppError('internal_error', 'ONNX parity: the exported model has no input or no output.');
    const outputs = await session.run({ [inputName]: new ort.Tensor('float32', inputs, [...shape]) });
    const data = outputs[outputName]?.data;
    if (!(data instanceof Float32Array))
      throw new AppError('internal_error', `ONNX parity: output ${outputName} is not float32.`);
    return data;
  } finally {
    await session.release();
  }
}

function compare(expected: Float32Array, got: Float32Array, tolerance: number): ParityResult {
  let worst = { index: -1, expected: Number.NaN, got: Number.NaN };
  let maxAbsDiff = 0;
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i] ?? Number.NaN;
    const have = got[i] ?? Number.NaN;
    const diff = Number.isNaN(want) && Number.isNaN(have) ? 0 : Math.abs(want - have);
    // A NaN difference (one side NaN) is the worst there is.
    const measured = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
    if (worst.index < 0 || measured > maxAbsDiff) {
      maxAbsDiff = measured;
      worst = { index: i, expected: want, got: have };
    }
  }
  return { ok: maxAbsDiff <= tolerance, maxAbsDiff, worst };
}
