import * as ort from 'onnxruntime-node';

/** A real onnxruntime-node CPU session over model bytes, single-threaded so tests stay reproducible. */
export function ortSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(Buffer.from(bytes), { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

export { ort };
