import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors/index.js';

export interface ReceivedUpload {
  file: string;
  sha256: string;
  sizeBytes: number;
}

export interface ReceiveOptions {
  tmpDir: string;
  maxBytes: number;
  idleTimeoutMs: number;
  /** Content-Length announced by the client, when it sent one. */
  expectedBytes?: number | undefined;
  /** The error past `maxBytes`: each kind of upload names its own limit (`artifact_too_large`…). */
  tooLarge: (maxBytes: number) => AppError;
}

/**
 * Streams an upload to a temporary file while hashing it, never holding the whole artifact in
 * memory. On any failure the temporary file is gone before the error propagates.
 */
export async function receiveUpload(
  source: NodeJS.ReadableStream,
  opts: ReceiveOptions,
): Promise<ReceivedUpload> {
  if (opts.expectedBytes !== undefined && opts.expectedBytes > opts.maxBytes) {
    throw opts.tooLarge(opts.maxBytes);
  }
  const file = path.join(opts.tmpDir, `${randomBytes(12).toString('hex')}.part`);
  const meter = new HashingMeter(opts.maxBytes, opts.idleTimeoutMs, opts.tooLarge);
  try {
    await pipeline(source, meter, createWriteStream(file, { flags: 'wx' }));
  } catch (err) {
    await rm(file, { force: true });
    throw meter.failure ?? new AppError('upload_incomplete', 'The upload was interrupted.', { cause: err });
  }
  if (opts.expectedBytes !== undefined && meter.bytes !== opts.expectedBytes) {
    await rm(file, { force: true });
    throw new AppError(
      'upload_incomplete',
      `Received ${meter.bytes} of the ${opts.expectedBytes} announced bytes.`,
    );
  }
  return { file, sha256: meter.digest(), sizeBytes: meter.bytes };
}

class HashingMeter extends Transform {
  bytes = 0;
  failure: AppError | undefined;
  private readonly hash = createHash('sha256');
  private idle: NodeJS.Timeout;

  constructor(
    private readonly maxBytes: number,
    private readonly idleTimeoutMs: number,
    private readonly tooLarge: (maxBytes: number) => AppError,
  ) {
    super();
    this.idle = this.arm();
  }

  private arm(): NodeJS.Timeout {
    return setTimeout(() => {
      this.failure = new AppError('upload_incomplete', `No bytes received for ${this.idleTimeoutMs} ms.`);
      this.destroy(this.failure);
    }, this.idleTimeoutMs).unref();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.failure = this.tooLarge(this.maxBytes);
      done(this.failure);
      return;
    }
    this.hash.update(chunk);
    this.idle.refresh();
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    clearTimeout(this.idle);
    done();
  }

  override _destroy(err: Error | null, done: (error?: Error | null) => void): void {
    clearTimeout(this.idle);
    done(err);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
