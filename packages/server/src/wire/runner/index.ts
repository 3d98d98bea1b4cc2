export { type BackendName, backendNames } from './backend-names.js';
export {
  decodeFrame,
  encodeFrame,
  FRAME_PREFACE,
  type Frame,
  type FrameKind,
  FrameReader,
  type InferFrameMeta,
  MalformedFrameError,
  type ReplyFrameMeta,
} from './frame-codec.js';
export { maxFrameBytesOf } from './frame-limits.js';
export { frameWriter } from './frame-writer.js';
export { type PortFrameWriter, type PostFrames, portFrameWriter } from './port-frame-writer.js';
export { readRegion, writeRegion } from './region-io.js';
export { type RunnerListen, type RunnerSpec, runnerListenSchema, runnerSpecSchema } from './runner-spec.js';
export { RUNNER_STANDBY_ARG, type StandingByMessage, type TakeMessage } from './runner-standby.js';
export { SHARED_MEMORY_MIN_BYTES, sharedMemoryHeaders } from './shared-memory-protocol.js';
export { decodeTrustedInfer, type TrustedInfer } from './trusted-infer.js';
