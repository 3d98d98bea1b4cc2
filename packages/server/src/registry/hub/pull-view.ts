import type { PullJob, PullKind, PullState, VersionConfig } from '@modelport/contracts';
import type { PullRow } from './pull-repo.js';

/** A file of a pull as stored in `hub_pulls.files`. */
export interface StoredFile {
  /** The path in the repository. */
  path: string;
  /** The path in the artifact (relative to the folder the source names). */
  artifactPath: string;
  sizeBytes: number;
  sha256: string | null;
  bytesDone: number;
}

export function storedFiles(row: PullRow): StoredFile[] {
  return JSON.parse(row.files) as StoredFile[];
}

/** The pull as the API shows it; `live` holds the bytes on disk of a pull running in this process. */
export function toPullJob(row: PullRow, live?: readonly number[]): PullJob {
  const files = storedFiles(row).map((f, i) => ({
    path: f.path,
    sizeBytes: f.sizeBytes,
    sha256: f.sha256,
    bytesDone: live?.[i] ?? f.bytesDone,
  }));
  return {
    id: row.id,
    model: row.model,
    source: row.source,
    repo: row.repo,
    revision: row.revision,
    commit: row.commit_sha,
    kind: row.kind as PullKind,
    state: row.state as PullState,
    bytesDone: live ? files.reduce((sum, f) => sum + f.bytesDone, 0) : Number(row.bytes_done),
    bytesTotal: Number(row.bytes_total),
    files,
    config: JSON.parse(row.config) as VersionConfig,
    version: row.version,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
