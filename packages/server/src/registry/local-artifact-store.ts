import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactStore } from './artifact-store.js';
import { artifactUri, digestOf } from './artifact-uri.js';
import { openReadStream } from './open-read-stream.js';

const SCHEME = 'local';

/** Blobs in `<root>/sha256/<ab>/<digest>`, the tree unpacked from a tar beside it in `<digest>.d`. */
export function createLocalArtifactStore(root: string): ArtifactStore {
  const fileFor = (sha256: string) => path.join(root, 'sha256', sha256.slice(0, 2), sha256);
  const uriToPath = (uri: string) => fileFor(digestOf(uri, SCHEME));
  return {
    async commit(sha256, file, folder) {
      const target = fileFor(sha256);
      await mkdir(path.dirname(target), { recursive: true });
      if (await exists(target)) {
        // Same bytes already stored (dedup); the caller removes its temporaries.
        return { uri: artifactUri(SCHEME, sha256) };
      }
      if (folder) await moveDir(folder, `${target}.d`);
      await rename(file, target);
      return { uri: artifactUri(SCHEME, sha256) };
    },
    async open(uri) {
      return openReadStream(uriToPath(uri));
    },
    async fetchLocal(uri, kind) {
      const file = uriToPath(uri);
      return kind === 'file' ? file : `${file}.d`;
    },
    async remove(uri) {
      const file = uriToPath(uri);
      await rm(`${file}.d`, { recursive: true, force: true });
      await rm(file, { force: true });
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
