import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { keepOrtTelemetryOff } from '../../config/index.js';
import { AppError } from '../../platform/errors/index.js';
import { type LoadOptions, RUNTIME_SPEC_VERSION, type RuntimeBackend } from '../contract.js';
import { resolveModelFile } from './model-file.js';
import { readModelInfo } from './model-info.js';
import { OnnxModel } from './onnx-model.js';
import { sessionOptionsFor } from './session-options.js';

async function createSession(
  modelFile: string,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  try {
    // On the runner's own thread (its process's main thread, or its worker thread with
    // isolation "thread"): a run blocks only that runner, and a handoff to another thread would
    // cost more than a small model's compute (docs/runner-protocol.md).
    return await ort.InferenceSession.create(modelFile, options);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).trim();
    // The provider was accepted by name but this install lacks its binaries (e.g. cuda).
    const code = /executionProviders/.test(reason) ? 'validation_failed' : 'invalid_artifact';
    const message = `onnxruntime cannot load ${path.basename(modelFile)}: ${reason}`;
    throw new AppError(code, message, { cause: err, details: { path: modelFile } });
  }
}

async function load({ path: modelPath, threads, options }: LoadOptions): Promise<OnnxModel> {
  keepOrtTelemetryOff();
  const sessionOptions = sessionOptionsFor(threads, options);
  const modelFile = await resolveModelFile(modelPath);
  const session = await createSession(modelFile, sessionOptions);
  try {
    return new OnnxModel(session, await readModelInfo(session, modelFile));
  } catch (err) {
    await session.release();
    throw err;
  }
}

/** Serves ONNX models with onnxruntime-node on the CPU (or another provider named in the options). */
export const onnxBackend = {
  specificationVersion: RUNTIME_SPEC_VERSION,
  name: 'onnx',
  load,
} as const satisfies RuntimeBackend;
