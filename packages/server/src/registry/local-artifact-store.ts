import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline as pipe, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import { ArtifactCache } from './artifact-cache.js';
import type { ArtifactKeyring } from './artifact-keyring.js';
import type { ArtifactStore } from './artifact-store.js';
import { artifactUri, digestOf } from './artifact-uri.js';
import { openReadStream } from './open-read-stream.js';
import { isSealed, openStream, sealStream } from './sealed-blob.js';

const SCHEME = 'local';

/** Encryption at rest for the local store: the keyring, and where runners' plaintext copies go. */
export interface LocalSealing {
  keyring: ArtifactKeyring | undefined;
  cacheDir: string;
  cacheMaxBytes: number;
  log: Logger;
}

/**
 * Blobs in `<root>/sha256/<ab>/<digest>`. Plain, a folder model's tree is kept beside its tar in
 * `<digest>.d` and runners load the stored paths. With a keyring, new blobs are sealed (AES-256-GCM,
 * sealed-blob.ts), no plaintext folder is kept, and runners load verified plaintext copies from a
 * local cache; plain blobs stored before stay readable, and a sealed blob without its key is refused.
 */
export function createLocalArtifactStore(root: string, sealing?: LocalSealing): ArtifactStore {
  const fileFor = (sha256: string) => path.join(root, 'sha256', sha256.slice(0, 2), sha256);
  const uriToPath = (uri: string) => fileFor(digestOf(uri, SCHEME));
  const keyring = sealing?.keyring;

  /** The blob's plaintext, opened (a missing blob rejects before any byte). */
  async function plaintext(file: string): Promise<Readable> {
    const stored = await openReadStream(file);
    return pipe(stored, openStream(keyring), () => {});
  }

  const cache = sealing
    ? new ArtifactCache({
        dir: sealing.cacheDir,
        maxBytes: sealing.cacheMaxBytes,
        read: (sha256) => plaintext(fileFor(sha256)),
        log: sealing.log,
      })
    : undefined;

  return {
    async commit(sha256, file, folder) {
      const target = fileFor(sha256);
      await mkdir(path.dirname(target), { recursive: true });
      if (await exists(target)) {
        // Same bytes already stored (dedup); the caller removes its temporaries.
        return { uri: artifactUri(SCHEME, sha256) };
      }
      if (keyring) {
        const partial = `${target}.sealing-${process.pid}-${Date.now()}`;
        try {
          await pipeline(createReadStream(file), sealStream(keyring.current), createWriteStream(partial));
          await rename(partial, target);
        } finally {
          await rm(partial, { force: true });
        }
        return { uri: artifactUri(SCHEME, sha256) };
      }
      if (folder) await moveDir(folder, `${target}.d`);
      await rename(file, target);
      return { uri: artifactUri(SCHEME, sha256) };
    },
    async open(uri) {
      return plaintext(uriToPath(uri));
    },
    async fetchLocal(uri, kind) {
      const file = uriToPath(uri);
      if (cache && (await sealed(file))) return cache.fetch(digestOf(uri, SCHEME), kind);
      if (!cache && (await sealed(file))) {
        throw new AppError(
          'artifact_unreadable',
          'the artifact is encrypted at rest and this store has no keys',
        );
      }
      return kind === 'file' ? file : `${file}.d`;
    },
    async remove(uri) {
      const file = uriToPath(uri);
      await rm(`${file}.d`, { recursive: true, force: true });
      await rm(file, { force: true });
      await cache?.remove(digestOf(uri, SCHEME));
    },
  };
}

/** Whether the stored blob starts as a sealed one (false when it is missing: the caller reports that). */
async function sealed(file: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    return isSealed(head.subarray(0, bytesRead));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function moveDir(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    // A concurrent upload of the same bytes got there first: its folder is identical.
    if (
      (err as NodeJS.ErrnoException).code !== 'ENOTEMPTY' &&
      (err as NodeJS.ErrnoException).code !== 'EEXIST'
    ) {
      throw err;
    }
  }
}
