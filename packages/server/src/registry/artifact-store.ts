import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Content-addressed blobs: the same bytes are stored once, whatever model or version points at them.
 * The interface is what a remote (S3-compatible) store implements too; paths are local cache paths.
 */
export interface ArtifactStore {
  /** Moves a finished upload (and its extracted folder, for tar models) into the store. */
  commit(sha256: string, file: string, folder: string | undefined): Promise<{ uri: string }>;
  open(uri: string): Readable;
  /** Where a runner finds the artifact on this machine (the extracted folder for folder models). */
  localPath(uri: string, kind: 'file' | 'folder'): string;
  remove(uri: string): Promise<void>;
}

export function createLocalArtifactStore(root: string): ArtifactStore {
  const fileFor = (sha256: string) => path.join(root, 'sha256', sha256.slice(0, 2), sha256);
  const uriToPath = (uri: string): string => {
    const match = /^local:sha256\/([0-9a-f]{64})$/.exec(uri);
    if (!match?.[1]) throw new Error(`not a local artifact uri: ${uri}`);
    return fileFor(match[1]);
  };
  return {
    async commit(sha256, file, folder) {
      const target = fileFor(sha256);
      await mkdir(path.dirname(target), { recursive: true });
      if (await exists(target)) {
        // Same bytes already stored (dedup); the caller removes its temporaries.
        return { uri: `local:sha256/${sha256}` };
      }
      if (folder) await moveDir(folder, `${target}.d`);
      await rename(file, target);
      return { uri: `local:sha256/${sha256}` };
    },
    open(uri) {
      return createReadStream(uriToPath(uri));
    },
    localPath(uri, kind) {
      const file = uriToPath(uri);
      return kind === 'folder' ? `${file}.d` : file;
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
