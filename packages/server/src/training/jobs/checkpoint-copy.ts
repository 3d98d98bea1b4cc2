import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import type { Clock, Logger } from '../../platform/index.js';
import { checkpointDirOf, checkpointFileOf } from './job-files.js';
import type { JobRepo } from './job-repo.js';

/** Larger checkpoints stay on the machine that wrote them (a takeover elsewhere starts over). */
const MAX_STORED_BYTES = 256 * 1024 * 1024;

/**
 * The store's copy of a job's checkpoint: taken whenever the file changed (at each heartbeat), and
 * put back into the job's folder on a machine that resumes the job without the file, so a job
 * moved to another replica goes on from its last checkpoint too.
 */
export function createCheckpointCopy(deps: {
  repo: JobRepo;
  clock: Clock;
  log: Logger;
  jobId: string;
  workDir: string;
}) {
  const file = checkpointFileOf(deps.workDir);
  let copiedMtimeMs = 0;
  let copying: Promise<void> | null = null;
  let warned = false;

  async function copy(): Promise<void> {
    const info = await stat(file).catch(() => null);
    if (!info || info.mtimeMs <= copiedMtimeMs) return;
    if (info.size > MAX_STORED_BYTES) {
      if (!warned)
        deps.log.warn({ job: deps.jobId, bytes: info.size }, 'checkpoint too large to keep in the store');
      warned = true;
      return;
    }
    await deps.repo.saveCheckpoint(deps.jobId, await readFile(file), deps.clock.now().toISOString());
    copiedMtimeMs = info.mtimeMs;
  }

  return {
    /** Writes the stored checkpoint into the job's folder when this machine has none. */
    async restore(): Promise<void> {
      if (existsSync(file)) return;
      const bytes = await deps.repo.loadCheckpoint(deps.jobId);
      if (!bytes) return;
      await mkdir(checkpointDirOf(deps.workDir), { recursive: true });
      await writeFile(`${file}.restored`, bytes);
      await rename(`${file}.restored`, file);
    },

    /** Copies the checkpoint into the store if it changed since the last copy (one copy at a time). */
    sync(): Promise<void> {
      copying ??= copy()
        .catch((err: unknown) => deps.log.warn({ err, job: deps.jobId }, 'could not copy the checkpoint'))
        .finally(() => {
          copying = null;
        });
      return copying;
    },
  };
}

export type CheckpointCopy = ReturnType<typeof createCheckpointCopy>;
