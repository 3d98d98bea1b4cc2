import * as ort from 'onnxruntime-node';

// No vendor telemetry from the bench's own sessions either (read at the first session).
process.env.ORT_DISABLE_TELEMETRY ??= '1';

/** One intra-op thread, sequential, no spinning: how a single-threaded runner is configured. */
export const singleThreadOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};

/** An in-process session for a baseline, beside the server rather than through it. */
export function createSession(bytes) {
  return ort.InferenceSession.create(bytes, singleThreadOptions);
}

export { ort };
