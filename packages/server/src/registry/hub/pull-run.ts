import path from 'node:path';
import type { ModelVersion, VersionConfig, VersionSource } from '@modelport/contracts';
import type { Clock } from '../../platform/index.js';
import type { LocalArtifact } from '../service.js';
import { tarFolder } from './folder-tar.js';
import { type HubHttpOptions, resolveUrl } from './hub-fetch.js';
import { CANCELLABLE_STATES, type PullRepo, type PullRow } from './pull-repo.js';
import { type StoredFile, storedFiles } from './pull-view.js';
import {
  type Downloaded,
  type DownloadTarget,
  downloadResumable,
  verifyDownload,
} from './resumable-download.js';

export interface PullRunDeps {
  repo: PullRepo;
  clock: Clock;
  /** The configured Hub; its token goes only to the endpoint the pull was started against. */
  http: HubHttpOptions;
  /** Registers the verified artifact as the model's next version. */
  register(row: PullRow, artifact: LocalArtifact): Promise<ModelVersion>;
  /** How often the bytes on disk are written to the pull's row. */
  progressEveryMs?: number;
}

/** The pull's own folder under `<dataDir>/pulls/`: its files, partial or verified, and the tar. */
export function pullDir(pullsDir: string, id: string): string {
  return path.join(pullsDir, id);
}

/**
 * Runs one pull from wherever its files stopped: downloads (resuming partial files), verifies each
 * against the Hub's sha256, packs a folder into a tar, and registers the version. `live` receives the
 * bytes on disk per file. Throws on failure; the caller records it and cleans up.
 */
export async function runPull(
  row: PullRow,
  dir: string,
  deps: PullRunDeps,
  signal: AbortSignal,
  live: number[],
): Promise<ModelVersion> {
  const files = storedFiles(row);
  const http: HubHttpOptions = {
    ...deps.http,
    endpoint: row.endpoint,
    token: row.endpoint === deps.http.endpoint ? deps.http.token : undefined,
  };
  const targets = files.map((f) => targetOf(row, f, path.join(dir, 'files')));
  const saveProgress = progressWriter(row, files, live, deps);
  await setState(row, 'downloading', deps);
  const downloads: Downloaded[] = [];
  for (const [i, target] of targets.entries()) {
    const onProgress = (bytes: number) => {
      live[i] = bytes;
      saveProgress(false);
    };
    downloads.push(await downloadResumable(target, { http, signal, onProgress }));
  }
  await saveProgress(true);
  await setState(row, 'verifying', deps);
  for (const [i, target] of targets.entries()) {
    const done = downloads[i];
    if (done) await verifyDownload(target, done);
  }
  signal.throwIfAborted();
  const artifact = await artifactOf(row, files, targets, downloads, dir);
  await setState(row, 'registering', deps);
  return deps.register(row, {
    ...artifact,
    config: JSON.parse(row.config) as VersionConfig,
    source: sourceOf(row, files, downloads),
  });
}

function targetOf(row: PullRow, file: StoredFile, filesDir: string): DownloadTarget {
  return {
    url: resolveUrl(row.endpoint, row.repo, row.commit_sha, file.path),
    dest: path.join(filesDir, ...file.artifactPath.split('/')),
    sizeBytes: file.sizeBytes,
    sha256: file.sha256,
    what: `file ${file.path} of ${row.repo}`,
  };
}

async function artifactOf(
  row: PullRow,
  files: StoredFile[],
  targets: DownloadTarget[],
  downloads: Downloaded[],
  dir: string,
): Promise<{ file: string; sha256: string; sizeBytes: number }> {
  const [target] = targets;
  const [download] = downloads;
  if (row.kind === 'file' && target && download) {
    return { file: target.dest, sha256: download.sha256, sizeBytes: target.sizeBytes };
  }
  const tar = path.join(dir, 'folder.tar');
  const packed = await tarFolder(
    path.join(dir, 'files'),
    files.map((f) => f.artifactPath),
    tar,
  );
  return { file: tar, ...packed };
}

function sourceOf(row: PullRow, files: StoredFile[], downloads: Downloaded[]): VersionSource {
  return {
    type: 'huggingface',
    endpoint: row.endpoint,
    repo: row.repo,
    revision: row.revision,
    commit: row.commit_sha,
    files: files.map((f, i) => ({
      path: f.path,
      sizeBytes: f.sizeBytes,
      sha256: f.sha256 ?? downloads[i]?.linkedSha256 ?? null,
    })),
    pullId: row.id,
  };
}

/** Moves the pull on, unless a cancel ended it meanwhile. */
async function setState(row: PullRow, state: PullRow['state'], deps: PullRunDeps): Promise<void> {
  const updatedAt = deps.clock.now().toISOString();
  if (!(await deps.repo.advance(row.id, CANCELLABLE_STATES, { state, updated_at: updatedAt }))) {
    throw new PullEndedError(row.id);
  }
  row.state = state;
  row.updated_at = updatedAt;
}

/** The pull was ended elsewhere (cancelled) while this run was on it. */
export class PullEndedError extends Error {
  constructor(id: string) {
    super(`pull ${id} is no longer running`);
    this.name = 'PullEndedError';
  }
}

/**
 * Stores the bytes on disk now and then (every `progressEveryMs`, and when asked), so another
 * replica's readers see them move; never two writes at once.
 */
function progressWriter(row: PullRow, files: StoredFile[], live: number[], deps: PullRunDeps) {
  const everyMs = deps.progressEveryMs ?? 1000;
  let last = 0;
  let writing: Promise<void> | undefined;
  return (force: boolean): Promise<void> => {
    const now = Date.now();
    if (writing || (!force && now - last < everyMs)) return writing ?? Promise.resolve();
    last = now;
    const withBytes = files.map((f, i) => ({ ...f, bytesDone: live[i] ?? f.bytesDone }));
    writing = deps.repo
      .update(row.id, {
        files: JSON.stringify(withBytes),
        bytes_done: withBytes.reduce((sum, f) => sum + f.bytesDone, 0),
        updated_at: deps.clock.now().toISOString(),
      })
      // Progress is advisory: a failed write leaves the stored bytes behind, the download goes on.
      .catch(() => undefined)
      .finally(() => {
        writing = undefined;
      });
    return writing;
  };
}
