import { accessSync, closeSync, constants, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { readRegion, writeRegion } from '../wire/runner/index.js';

/** Where slots live: tmpfs, so a slot is memory, never disk. */
const SHM_DIR = '/dev/shm';

export interface SlotLimits {
  /** Slots in use at once; a request past it sends its bytes through the socket. */
  maxSlots: number;
  /** A released slot that grew past this is emptied, so one huge tensor does not pin its memory. */
  retainBytes: number;
}

/** One shared-memory file, used by one request at a time. */
export class SharedMemorySlot {
  /** How the runner names it: this process, the file's descriptor, and a never-reused id. */
  readonly ref: string;
  /** Bytes the file may hold now (the largest write since it was last emptied). */
  extent = 0;

  constructor(
    readonly fd: number,
    id: number,
  ) {
    this.ref = `${process.pid}/${fd}/${id}`;
  }

  write(data: Buffer): void {
    writeRegion(this.fd, data);
    this.extent = Math.max(this.extent, data.length);
  }

  /** The first `length` bytes, read into `target` at `at`. */
  readInto(target: Buffer, at: number, length: number): void {
    if (!readRegion(this.fd, target, at, length))
      throw new Error(`shared-memory slot ${this.ref} holds fewer than ${length} bytes`);
    this.extent = Math.max(this.extent, length);
  }
}

/**
 * The API process's pool of shared-memory slots for tensor bytes bound to or from its runners.
 * Each file is unlinked as soon as it is opened: it lives while a descriptor does, so nothing is
 * left in /dev/shm however this process ends. Runners open it through /proc/<pid>/fd/<fd>.
 */
export class SharedMemorySlots {
  private readonly free: SharedMemorySlot[] = [];
  private inUse = 0;
  private nextId = 0;
  /** Tensor bytes that went to runners, and came back, through shared memory. */
  readonly bytes = { toRunners: 0, fromRunners: 0 };

  private constructor(private readonly limits: SlotLimits) {}

  /** Slots when this host has tmpfs at /dev/shm and /proc (Linux), else undefined (socket only). */
  static create(limits: SlotLimits): SharedMemorySlots | undefined {
    try {
      accessSync(SHM_DIR, constants.W_OK);
      accessSync('/proc/self/fd', constants.R_OK);
    } catch {
      return undefined;
    }
    return new SharedMemorySlots(limits);
  }

  /** A free slot, or undefined when all are taken or /dev/shm refuses a new file. */
  acquire(): SharedMemorySlot | undefined {
    const reused = this.free.pop();
    if (reused) {
      this.inUse++;
      return reused;
    }
    if (this.inUse >= this.limits.maxSlots) return undefined;
    const id = this.nextId++;
    const file = path.join(SHM_DIR, `modelport-${process.pid}-${id}`);
    let fd: number;
    try {
      fd = openSync(file, 'wx+', 0o600);
      unlinkSync(file);
    } catch {
      return undefined;
    }
    this.inUse++;
    return new SharedMemorySlot(fd, id);
  }

  /** Back to the pool, once the runner has answered (it no longer touches the slot). */
  release(slot: SharedMemorySlot): void {
    this.inUse--;
    if (slot.extent > this.limits.retainBytes) {
      ftruncateSync(slot.fd, 0);
      slot.extent = 0;
    }
    this.free.push(slot);
  }

  /**
   * Closed for good: the request ended without the runner's answer, so the runner may still
   * write to it. The file goes once the runner closes its descriptor too.
   */
  discard(slot: SharedMemorySlot): void {
    this.inUse--;
    closeSync(slot.fd);
  }

  close(): void {
    for (const slot of this.free.splice(0)) closeSync(slot.fd);
  }
}
