import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { ConnectionError, ConnectionTimeoutError, InvalidResponseError } from '../errors.js';
import type { IdleTimeout } from '../idle-timeout.js';
import { paths, type VersionRef } from '../paths.js';
import { requestIdOf, type Transport } from '../transport.js';

export interface DownloadResult {
  path: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Streams the artifact to a temporary file beside `destPath`, checks it against the server's
 * `Digest`, then renames it into place: `destPath` never holds a partial or corrupt download.
 */
export async function downloadArtifact(
  transport: Transport,
  name: string,
  ref: VersionRef,
  destPath: string,
): Promise<DownloadResult> {
  const idle = transport.newIdleTimeout();
  const tmp = `${destPath}.${randomBytes(6).toString('hex')}.part`;
  try {
    const res = await transport.send({ method: 'GET', path: paths.artifact(name, ref) }, idle);
    const { sizeBytes, sha256 } = await saveBody(res, tmp, idle);
    checkDigest(res, sha256);
    await rename(tmp, destPath);
    return { path: destPath, sizeBytes, sha256 };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    idle.clear();
  }
}

async function saveBody(
  res: Response,
  file: string,
  idle: IdleTimeout,
): Promise<Omit<DownloadResult, 'path'>> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      idle.touch();
      done(null, chunk);
    },
  });
  const body = res.body ? Readable.fromWeb(res.body as NodeWebStream<Uint8Array>) : Readable.from([]);
  try {
    await pipeline(body, meter, createWriteStream(file, { flags: 'wx' }));
  } catch (err) {
    // File-system errors carry the path; anything else broke the connection mid-body.
    if ((err as NodeJS.ErrnoException).path !== undefined) throw err;
    const init = {
      message: `The download of ${res.url} broke off.`,
      requestId: requestIdOf(res),
      cause: err,
    };
    throw idle.fired
      ? new ConnectionTimeoutError({ ...init, code: 'timeout' })
      : new ConnectionError({ ...init, code: 'connection_error' });
  }
  return { sizeBytes, sha256: hash.digest('hex') };
}

function checkDigest(res: Response, sha256: string): void {
  const digest = /sha-256=([A-Za-z0-9+/=]+)/i.exec(res.headers.get('digest') ?? '')?.[1];
  if (digest === undefined || Buffer.from(digest, 'base64').toString('hex') === sha256) return;
  throw new InvalidResponseError({
    status: res.status,
    code: 'invalid_response',
    message: `The downloaded bytes do not match the server's digest (got sha256 ${sha256}).`,
    requestId: requestIdOf(res),
  });
}
