import { type FileHandle, open } from 'node:fs/promises';
import { AppError } from '../platform/errors/index.js';

const DEFAULT_BUFFER_BYTES = 64 * 1024;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function truncated(what: string): AppError {
  return new AppError('invalid_artifact', `Artifact is truncated (${what})`);
}

/**
 * Sequential reader with random access over a file. Parsers use it so a multi-GB artifact is never
 * loaded whole: small reads go through one read-ahead buffer, large payloads are skipped by seeking.
 */
export class FileReader {
  readonly size: number;
  private readonly handle: FileHandle;
  private readonly buffer: Buffer;
  private bufferStart = 0;
  private bufferLength = 0;
  private pos = 0;

  private constructor(handle: FileHandle, size: number, bufferBytes: number) {
    this.handle = handle;
    this.size = size;
    this.buffer = Buffer.alloc(bufferBytes);
  }

  static async open(filePath: string, bufferBytes = DEFAULT_BUFFER_BYTES): Promise<FileReader> {
    const handle = await open(filePath, 'r');
    try {
      const stat = await handle.stat();
      return new FileReader(handle, stat.size, bufferBytes);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Opens, runs `fn`, and always closes the descriptor. */
  static async with<T>(filePath: string, fn: (reader: FileReader) => Promise<T>): Promise<T> {
    const reader = await FileReader.open(filePath);
    try {
      return await fn(reader);
    } finally {
      await reader.close();
    }
  }

  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.size - this.pos;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  seek(position: number): void {
    if (!Number.isSafeInteger(position) || position < 0 || position > this.size) {
      throw truncated(`seek to ${position} of ${this.size} bytes`);
    }
    this.pos = position;
  }

  skip(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.remaining) {
      throw truncated(`skip ${n} bytes at offset ${this.pos}`);
    }
    this.pos += n;
  }

  async readU8(): Promise<number> {
    const at = await this.ensure(1);
    this.pos += 1;
    return this.buffer.readUInt8(at);
  }

  async readU16(): Promise<number> {
    const at = await this.ensure(2);
    this.pos += 2;
    return this.buffer.readUInt16LE(at);
  }

  async readU32(): Promise<number> {
    const at = await this.ensure(4);
    this.pos += 4;
    return this.buffer.readUInt32LE(at);
  }

  async readU64(): Promise<bigint> {
    const at = await this.ensure(8);
    this.pos += 8;
    return this.buffer.readBigUInt64LE(at);
  }

  /** A u64 that must fit a JS number (counts, lengths, offsets). */
  async readU64Number(what: string): Promise<number> {
    return toSafeNumber(await this.readU64(), what);
  }

  /**
   * Up to `n` bytes at the current position without consuming them (fewer near EOF). The view is only
   * valid until the next read.
   */
  async peek(n: number): Promise<Buffer> {
    const length = Math.min(n, this.remaining, this.buffer.length);
    const at = await this.ensure(length);
    return this.buffer.subarray(at, at + length);
  }

  /** Reads exactly `n` bytes into a fresh buffer; `max` bounds what a hostile length can allocate. */
  async readBytes(n: number, max: number): Promise<Buffer> {
    if (!Number.isSafeInteger(n) || n < 0) throw truncated(`length ${n}`);
    if (n > max) {
      throw new AppError('invalid_artifact', `Field of ${n} bytes at offset ${this.pos} exceeds ${max}`);
    }
    if (n > this.remaining) throw truncated(`${n} bytes wanted at offset ${this.pos}`);
    if (n <= this.buffer.length) {
      const at = await this.ensure(n);
      this.pos += n;
      return Buffer.from(this.buffer.subarray(at, at + n));
    }
    const out = Buffer.alloc(n);
    await this.readFully(out, this.pos);
    this.pos += n;
    return out;
  }

  /** Makes `n` bytes at the current position available in the buffer; returns their buffer index. */
  private async ensure(n: number): Promise<number> {
    if (n > this.remaining) throw truncated(`${n} bytes wanted at offset ${this.pos}`);
    const offset = this.pos - this.bufferStart;
    if (offset >= 0 && offset + n <= this.bufferLength) return offset;
    const length = Math.min(this.buffer.length, this.size - this.pos);
    await this.readFully(this.buffer.subarray(0, length), this.pos);
    this.bufferStart = this.pos;
    this.bufferLength = length;
    return 0;
  }

  private async readFully(target: Buffer, position: number): Promise<void> {
    let done = 0;
    while (done < target.length) {
      const { bytesRead } = await this.handle.read(target, done, target.length - done, position + done);
      // The file shrank under us: treat like any other short file.
      if (bytesRead === 0) throw truncated(`file ended at offset ${position + done}`);
      done += bytesRead;
    }
  }
}

export function toSafeNumber(value: bigint, what: string): number {
  if (value < 0n || value > MAX_SAFE) {
    throw new AppError('invalid_artifact', `${what} is out of range (${value})`);
  }
  return Number(value);
}
