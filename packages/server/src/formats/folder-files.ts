import { chmod, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../platform/errors/index.js';

export interface FolderFile {
  /** Relative to the walked root, with `/` separators. */
  path: string;
  sizeBytes: number;
}

const FILE_MODE = 0o644;
const DIR_MODE = 0o755;

/**
 * Lists every file under `root` with its size, sorted by path. Modes are reset on the way, so no
 * archive can leave setuid, executable or unreadable files behind in the registry.
 */
export async function listFolderFiles(root: string): Promise<FolderFile[]> {
  const files: FolderFile[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        await chmod(full, DIR_MODE);
        await walk(full, rel);
      } else if (entry.isFile()) {
        await chmod(full, FILE_MODE);
        files.push({ path: rel, sizeBytes: (await lstat(full)).size });
      } else {
        throw new AppError('unsafe_artifact_path', `'${rel}' is neither a file nor a folder`);
      }
    }
  };
  await chmod(root, DIR_MODE);
  await walk(root, '');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
