import { readFileSync } from 'node:fs';

const MIB = 1024 * 1024;

/**
 * Weights are read into memory with room for the runtime's own buffers: the artifact's size
 * times this factor, plus a runner process's fixed cost (Node, the runtime's native library).
 */
export const ARTIFACT_MEMORY_FACTOR = 1.5;
/** A runner serving a tiny ONNX model measures about 140 MiB resident on Linux. */
export const RUNNER_OVERHEAD_BYTES = 128 * MIB;

/** What one instance is expected to hold once loaded, before it has run. */
export function estimateInstanceBytes(artifactBytes: number): number {
  return Math.ceil(artifactBytes * ARTIFACT_MEMORY_FACTOR) + RUNNER_OVERHEAD_BYTES;
}

/**
 * A running process's resident memory (Linux `VmRSS`); undefined where /proc is absent or the
 * process is gone, so callers fall back to the estimate.
 */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
