import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { artifactUri, digestOf } from '../../src/registry/artifact-uri.js';
import { ArtifactCache, type ArtifactStore } from '../../src/registry/index.js';
import { openReadStream } from '../../src/registry/open-read-stream.js';

const SCHEME = 'folder';

export interface FolderArtifactStore extends ArtifactStore {
  /** How many times each digest was copied from the remote folder into the cache. */
  readonly downloads: Map<string, number>;
  readonly cacheDir: string;
  /** Where the remote copy of a digest lives (tests corrupt it). */
  remotePath(sha256: string): string;
}

/**
 * A stand-in for an object store: blobs live in `remoteDir` (the "bucket", reached only by copying),
 * and `fetchLocal` brings them into `cacheDir` through the product's `ArtifactCache` (verified, one
 * download per digest). Only the tar of a folder model is "uploaded"; the folder is unpacked again
 * from it on fetch, as a remote store does (an image dataset's tar too).
 */
export function createFolderArtifactStore(opts: {
  remoteDir: string;
  cacheDir: string;
}): FolderArtifactStore {
  const remotePath = (sha256: string) => path.join(opts.remoteDir, sha256);
  const cache = new ArtifactCache({
    dir: opts.cacheDir,
    maxBytes: Number.MAX_SAFE_INTEGER,
    read: (sha256) => openReadStream(remotePath(sha256)),
    log: pino({ level: 'silent' }),
  });
  return {
    downloads: cache.downloads,
    cacheDir: opts.cacheDir,
    remotePath,
    async commit(sha256, file) {
      const remote = remotePath(sha256);
      if (!(await exists(remote))) {
        await mkdir(opts.remoteDir, { recursive: true });
        const partial = `${remote}.${randomUUID()}`;
        await copyFile(file, partial);
        await rename(partial, remote);
      }
      return { uri: artifactUri(SCHEME, sha256) };
    },
    async open(uri) {
      return openReadStream(remotePath(digestOf(uri, SCHEME)));
    },
    async fetchLocal(uri, kind) {
      return cache.fetch(digestOf(uri, SCHEME), kind);
    },
    async remove(uri) {
      const sha256 = digestOf(uri, SCHEME);
      await rm(remotePath(sha256), { force: true });
      await cache.remove(sha256);
    },
  };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
