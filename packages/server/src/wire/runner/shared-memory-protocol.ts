/**
 * How the API process and a local runner pass a request's or a response's binary tensor section
 * through a shared-memory file instead of the socket (Triton's system shared memory, applied to
 * the internal hop). Requests without these headers carry their bytes in the body, as OIP has it.
 */
export const sharedMemoryHeaders = {
  /** The request offers this region (`<pid>/<fd>/<slot id>`) for its input and output bytes. */
  region: 'x-shm-region',
  /** The request's binary section is the region's first N bytes; the body is the JSON header. */
  inputBytes: 'x-shm-input-bytes',
  /** The response's binary section is the region's first N bytes; the body is the JSON header. */
  outputBytes: 'x-shm-output-bytes',
} as const;

/** Below this a binary section goes in the body: a socket write costs less than two file copies. */
export const SHARED_MEMORY_MIN_BYTES = 64 * 1024;
