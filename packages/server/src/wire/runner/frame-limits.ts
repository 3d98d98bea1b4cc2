import type { RunnerSpec } from './runner-spec.js';

/** Frame bytes past the body limit: the head and the meta JSON. */
const FRAME_OVERHEAD_BYTES = 64 * 1024;

/** The largest frame either side of a runner connection accepts: the body limit and room for the head. */
export function maxFrameBytesOf(spec: Pick<RunnerSpec, 'maxBodyBytes'>): number {
  return spec.maxBodyBytes + FRAME_OVERHEAD_BYTES;
}
