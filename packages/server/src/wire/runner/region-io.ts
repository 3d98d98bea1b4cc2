import { readSync, writeSync } from 'node:fs';

/**
 * Bytes at the start of a shared-memory region, for both sides of the path (API slots, runner
 * regions): positional reads and writes, repeated until whole, so the file offset never matters.
 */
export function writeRegion(fd: number, data: Buffer): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, done);
}

/** The region's first `length` bytes into `target` at `at`; false when the region holds fewer. */
export function readRegion(fd: number, target: Buffer, at: number, length: number): boolean {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, target, at + done, length - done, done);
    if (n === 0) return false;
    done += n;
  }
  return true;
}
