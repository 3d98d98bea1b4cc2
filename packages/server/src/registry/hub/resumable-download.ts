import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, isAppError } from '../../platform/errors/index.js';
import { type HubHttpOptions, type HubResponse, hubFetch } from './hub-fetch.js';

export interface DownloadTarget {
  url: string;
  /** The verified file's path; the bytes arrive in `<dest>.part` until then. */
  dest: string;
  sizeBytes: number;
  sha256: string | null;
  /** "file a.gguf of org/repo", for messages. */
  what: string;
}

export interface DownloadOptions {
  http: HubHttpOptions;
  signal: AbortSignal;
  /** Bytes of this file on disk, after each write. */
  onProgress(bytes: number): void;
  /** Further tries after a broken connection or a 5xx, each resuming where the last one stopped. */
  retries?: number;
  retryDelayMs?: number;
}

/** A complete download, not yet verified. */
export interface Downloaded {
  part: string;
  sha256: string;
  /** The sha256 the Hub's `X-Linked-Etag` named, for a file the model info gave none. */
  linkedSha256: string | null;
}

const SHA256 = /^[0-9a-f]{64}$/;
const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/**
 * Downloads a file into `<dest>.part`, continuing a partial one with `Range: bytes=<size>-` (after a
 * restart, or a connection that broke) and hashing every byte on disk, old and new. A verified file
 * (`dest` itself) is not downloaded again.
 */
export async function downloadResumable(target: DownloadTarget, opts: DownloadOptions): Promise<Downloaded> {
  const part = `${target.dest}.part`;
  if (await exists(target.dest)) {
    opts.onProgress(target.sizeBytes);
    return { part: target.dest, sha256: await hashFile(target.dest), linkedSha256: null };
  }
  await mkdir(path.dirname(part), { recursive: true });
  const handle = await open(part, 'a+');
  try {
    const state = await startFrom(handle, part, target.sizeBytes);
    opts.onProgress(state.offset);
    const retries = opts.retries ?? 4;
    let failures = 0;
    while (state.offset < target.sizeBytes) {
      const before = state.offset;
      try {
        await fetchRest(target, opts, handle, state);
        if (state.offset < target.sizeBytes) {
          throw new AppError(
            'hub_unreachable',
            `The Hub ended ${target.what} after ${state.offset} of ${target.sizeBytes} bytes.`,
          );
        }
      } catch (err) {
        opts.signal.throwIfAborted();
        // A try that moved the file on starts the count again: only a Hub that keeps failing fails the pull.
        failures = state.offset > before ? 1 : failures + 1;
        if ((isAppError(err) && !err.retryable) || failures > retries) throw err;
        await sleep((opts.retryDelayMs ?? 500) * 2 ** (failures - 1), undefined, { signal: opts.signal });
      }
    }
    return { part, sha256: state.hash.digest('hex'), linkedSha256: state.linkedSha256 };
  } finally {
    await handle.close();
  }
}

/**
 * Compares the download with the Hub's sha256 (from the model info, else `X-Linked-Etag`) and moves
 * it to `dest`. A mismatch removes it and fails: nothing of it is registered.
 */
export async function verifyDownload(target: DownloadTarget, done: Downloaded): Promise<void> {
  if (done.part === target.dest) return;
  const expected = target.sha256 ?? done.linkedSha256;
  if (expected !== null && expected !== done.sha256) {
    await rm(done.part, { force: true });
    throw new AppError(
      'hub_checksum_mismatch',
      `The sha256 of ${target.what} is ${done.sha256}, but the Hub published ${expected}: the download is corrupt and was dropped.`,
    );
  }
  await rename(done.part, target.dest);
}

interface PartState {
  offset: number;
  hash: Hash;
  linkedSha256: string | null;
}

/** Hashes what a partial file already holds, so the digest covers it (or starts over if it is too long). */
async function startFrom(handle: FileHandle, part: string, sizeBytes: number): Promise<PartState> {
  let offset = (await handle.stat()).size;
  const hash = createHash('sha256');
  if (offset > sizeBytes) {
    await handle.truncate(0);
    offset = 0;
  }
  if (offset > 0) {
    for await (const chunk of createReadStream(part, { start: 0, end: offset - 1 }))
      hash.update(chunk as Buffer);
  }
  return { offset, hash, linkedSha256: null };
}

async function fetchRest(
  target: DownloadTarget,
  opts: DownloadOptions,
  handle: FileHandle,
  state: PartState,
) {
  const headers: Record<string, string> = state.offset > 0 ? { range: `bytes=${state.offset}-` } : {};
  const res = await hubFetch(target.url, { headers, signal: opts.signal, allow: [416] }, opts.http, {
    what: target.what,
    withToken: opts.http.token !== undefined,
  });
  try {
    if (res.linked.etag && SHA256.test(res.linked.etag)) state.linkedSha256 = res.linked.etag;
    if (!(await continueAt(res, target, handle, state))) return;
    const body = res.response.body;
    if (!body) return;
    try {
      for await (const chunk of body) {
        res.progress();
        if (state.offset + chunk.length > target.sizeBytes) {
          throw new AppError(
            'hub_bad_response',
            `The Hub sent more than the ${target.sizeBytes} bytes of ${target.what}.`,
          );
        }
        await handle.write(chunk);
        state.hash.update(chunk);
        state.offset += chunk.length;
        opts.onProgress(state.offset);
      }
    } catch (err) {
      opts.signal.throwIfAborted();
      if (isAppError(err)) throw err;
      const why = res.timedOut ? `no bytes for ${opts.http.timeoutMs} ms` : 'the connection broke';
      throw new AppError(
        'hub_unreachable',
        `Downloading ${target.what}: ${why} after ${state.offset} bytes.`,
        {
          cause: err,
        },
      );
    }
  } finally {
    res.done();
  }
}

/** Checks the answer continues the file where it stops; false when there is nothing more to read. */
async function continueAt(res: HubResponse, target: DownloadTarget, handle: FileHandle, state: PartState) {
  const { response } = res;
  if (response.status === 416) {
    await response.body?.cancel();
    if (state.offset === target.sizeBytes) return false;
    throw new AppError(
      'hub_bad_response',
      `The Hub refused the range of ${target.what} at byte ${state.offset}.`,
    );
  }
  if (response.status === 206) {
    const match = CONTENT_RANGE.exec(response.headers.get('content-range') ?? '');
    const total = match?.[3] === '*' ? target.sizeBytes : Number(match?.[3]);
    if (!match || Number(match[1]) !== state.offset || total !== target.sizeBytes) {
      await response.body?.cancel();
      throw new AppError(
        'hub_bad_response',
        `The Hub answered ${target.what} with a range (${response.headers.get('content-range')}) that does not continue it at byte ${state.offset} of ${target.sizeBytes}.`,
      );
    }
    return true;
  }
  // A whole file (the server ignores ranges): start over.
  if (state.offset > 0) {
    await handle.truncate(0);
    state.offset = 0;
    state.hash = createHash('sha256');
  }
  return true;
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
