import type { VersionConfig } from '@modelport/contracts';
import type { HubSibling } from './hub-client.js';

/** A file of the repository as the model info lists it. */
export interface RepoFile {
  /** Relative to the chosen root (the repository, or the folder the source names). */
  path: string;
  /** The path in the repository. */
  repoPath: string;
  /** Unknown when the Hub (or a mirror) lists no size: the pull asks for it. */
  sizeBytes: number | undefined;
  /** The Hub's sha256 of an LFS file; small files kept in git have none. */
  sha256: string | null;
}

/** What a pull downloads and how it is registered. */
export interface FileChoice {
  kind: 'file' | 'folder';
  files: RepoFile[];
  /** Version config the choice implies (an ONNX folder's `dtype`). */
  config: VersionConfig;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A path a pull may write under its folder: relative, no `.`/`..` or empty segments, no backslash or
 * NUL. A mirror that lists anything else never gets it downloaded.
 */
export function isSafeRepoPath(repoPath: string): boolean {
  if (repoPath.length > 1024 || /[\\\0]/.test(repoPath)) return false;
  return repoPath.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

export function toRepoFiles(siblings: readonly HubSibling[]): RepoFile[] {
  return siblings
    .filter((s) => isSafeRepoPath(s.rfilename))
    .map((s) => ({
      path: s.rfilename,
      repoPath: s.rfilename,
      sizeBytes: s.lfs?.size ?? s.size,
      sha256: s.lfs && SHA256.test(s.lfs.sha256.toLowerCase()) ? s.lfs.sha256.toLowerCase() : null,
    }));
}

export function baseName(filePath: string): string {
  return filePath.slice(filePath.lastIndexOf('/') + 1);
}

/** The smallest file (unknown sizes last), then the first by path: a choice that does not vary. */
export function smallest(files: readonly RepoFile[]): RepoFile | undefined {
  return [...files].sort(
    (a, b) =>
      (a.sizeBytes ?? Number.MAX_SAFE_INTEGER) - (b.sizeBytes ?? Number.MAX_SAFE_INTEGER) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  )[0];
}
