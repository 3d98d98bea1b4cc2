import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extractImageDataset, extractModelFolder } from '../../src/formats/index.js';
import { artifactUri, digestOf } from '../../src/registry/artifact-uri.js';
import type { ArtifactKind, ArtifactStore } from '../../src/registry/index.js';
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
 * and `fetchLocal` brings them into `cacheDir` on first use, verifying their sha256, with one download
 * per digest however many callers wait for it. Only the tar of a folder model or an image dataset is
 * "uploaded"; the folder is unpacked again from it on fetch, as a remote store would.
 */
export function createFolderArtifactStore(opts: {
  remoteDir: string;
  cacheDir: string;
}): FolderArtifactStore {
  const downloads = new Map<string, number>();
  const inflight = new Map<string, Promise<string>>();
  const remotePath = (sha256: string) => path.join(opts.remoteDir, sha256);
  const cachePath = (sha256: string) => path.join(opts.cacheDir, sha256);

  /** One promise per cache entry: concurrent callers share it, a failure lets the next call retry. */
  function once(key: string, make: () => Promise<string>): Promise<string> {
    let pending = inflight.get(key);
    if (!pending) {
      pending = make().finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  }

  async function download(sha256: string): Promise<string> {
    const target = cachePath(sha256);
    if (await exists(target)) return target;
    await mkdir(opts.cacheDir, { recursive: true });
    const partial = path.join(opts.cacheDir, `.partial-${randomUUID()}`);
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    downloads.set(sha256, (downloads.get(sha256) ?? 0) + 1);
    try {
      await pipeline(createReadStream(remotePath(sha256)), hashing, createWriteStream(partial));
      const actual = hash.digest('hex');
      if (actual !== sha256) {
        throw new Error(`artifact sha256/${sha256} failed verification: the fetched bytes hash to ${actual}`);
      }
      await rename(partial, target);
      return target;
    } finally {
      await rm(partial, { force: true });
    }
  }

  async function unpack(sha256: string, file: string, kind: ArtifactKind): Promise<string> {
    const target = `${cachePath(sha256)}.d`;
    if (await exists(target)) return target;
    const work = await mkdtemp(path.join(opts.cacheDir, '.unpack-'));
    try {
      const root =
        kind === 'image-folder'
          ? await extractImageDataset(file, work)
          : (await extractModelFolder(file, work)).root;
      await rename(root, target);
      return target;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  return {
    downloads,
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
      const sha256 = digestOf(uri, SCHEME);
      const file = await once(sha256, () => download(sha256));
      return kind === 'file' ? file : once(`${sha256}.d`, () => unpack(sha256, file, kind));
    },
    async remove(uri) {
      const sha256 = digestOf(uri, SCHEME);
      await rm(remotePath(sha256), { force: true });
      await rm(`${cachePath(sha256)}.d`, { recursive: true, force: true });
      await rm(cachePath(sha256), { force: true });
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
