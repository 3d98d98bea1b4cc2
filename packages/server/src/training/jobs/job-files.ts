import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Each job keeps its files in `<dataDir>/training/<jobId>/`: the worker's checkpoints (one per
 * epoch, the last kept) and the exported model. They go once the job ends; the registered version
 * (or the model an unregistered job keeps) lives on in the artifact store.
 */
export function jobDir(dataDir: string, jobId: string): string {
  return path.join(dataDir, 'training', jobId);
}

export async function removeJobFiles(dataDir: string, jobId: string): Promise<void> {
  await rm(jobDir(dataDir, jobId), { recursive: true, force: true });
}

/** Whether the job's folder holds anything a worker could resume from. */
export async function hasJobFiles(dataDir: string, jobId: string): Promise<boolean> {
  const dir = jobDir(dataDir, jobId);
  if (!existsSync(dir)) return false;
  return (await readdir(dir)).length > 0;
}

/** Where the trainer writes its checkpoint (one file, replaced atomically after each epoch). */
export function checkpointDirOf(workDir: string): string {
  return path.join(workDir, 'checkpoints');
}

export function checkpointFileOf(workDir: string): string {
  return path.join(checkpointDirOf(workDir), 'checkpoint.bin');
}
