import { closeSync, openSync } from 'node:fs';
import { AppError } from '../../platform/errors/index.js';
import { readRegion, writeRegion } from '../../wire/runner/index.js';
import { ReadBuffers } from './read-buffers.js';

/** Regions kept open; one past it closes the least recently used (a dropped slot's file goes with it). */
const MAX_OPEN_REGIONS = 256;
/** Memory of read buffers kept for reuse between requests. */
const MAX_KEPT_READ_BYTES = 64 * 1024 * 1024;

/**
 * The runner's side of the shared-memory path: regions are files the parent API process holds
 * open (already unlinked), reached through `/proc/<parent pid>/fd/<fd>`. Only the parent's regions
 * are accepted, so a request cannot make the runner read or write any other file.
 */
export class SharedMemoryRegions {
  private readonly open = new Map<string, number>();
  private readonly buffers = new ReadBuffers(MAX_KEPT_READ_BYTES);

  constructor(private readonly parentPid: number) {}

  /** The first `length` bytes of the region; `recycle` it once nothing reads it any more. */
  read(ref: string, length: number): Buffer {
    const fd = this.fdOf(ref);
    const data = this.buffers.take(length);
    if (!readRegion(fd, data, 0, length)) {
      this.buffers.give(data);
      throw regionError(`shared-memory region ${ref} holds fewer than ${length} bytes`);
    }
    return data;
  }

  /** A buffer from `read` whose request is answered: the next read of its size reuses it. */
  recycle(data: Buffer): void {
    this.buffers.give(data);
  }

  /** Writes `data` at the start of the region (the file grows as needed). */
  write(ref: string, data: Buffer): void {
    writeRegion(this.fdOf(ref), data);
  }

  close(): void {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
  }

  private fdOf(ref: string): number {
    const cached = this.open.get(ref);
    if (cached !== undefined) {
      // Re-inserted, so the map's order is the order of last use.
      this.open.delete(ref);
      this.open.set(ref, cached);
      return cached;
    }
    const match = /^(\d+)\/(\d+)\/\d+$/.exec(ref);
    if (!match || Number(match[1]) !== this.parentPid)
      throw regionError(`shared-memory region '${ref}' is not one of the parent process's`);
    let fd: number;
    try {
      fd = openSync(`/proc/${match[1]}/fd/${match[2]}`, 'r+');
    } catch (err) {
      throw regionError(`shared-memory region ${ref} cannot be opened: ${(err as Error).message}`);
    }
    this.open.set(ref, fd);
    if (this.open.size > MAX_OPEN_REGIONS) {
      const [oldest, oldFd] = this.open.entries().next().value as [string, number];
      this.open.delete(oldest);
      closeSync(oldFd);
    }
    return fd;
  }
}

function regionError(message: string): AppError {
  return new AppError('runner_failed', message);
}
