import { isAppError } from '../platform/errors/index.js';
import type { DatasetLimits } from './dataset-limits.js';
import { datasetTooLarge, invalidDataset } from './dataset-problems.js';
import { listFolderFiles } from './folder-files.js';
import { findClassRoot } from './list-image-folder.js';
import { extractTar, listTarEntries } from './tar-entries.js';

/** Folders, and dot files such as macOS `._x` companions, beside the images of the limit. */
const ENTRIES_PER_IMAGE = 2;
const SPARE_ENTRIES = 1000;

/**
 * Unpacks a tar (or .tar.gz) of an image-folder dataset into `destDir` (created empty by the caller)
 * and returns the folder of its class folders. Every entry is checked before anything is written
 * (files and folders only, all below the root, within the limits), and modes are reset afterwards.
 */
export async function extractImageDataset(
  tarPath: string,
  destDir: string,
  limits: DatasetLimits = {},
): Promise<string> {
  try {
    const entries = await listTarEntries(tarPath, {
      ...(limits.maxImages === undefined
        ? {}
        : { maxEntries: limits.maxImages * ENTRIES_PER_IMAGE + SPARE_ENTRIES }),
      ...(limits.maxUnpackedBytes === undefined ? {} : { maxTotalBytes: limits.maxUnpackedBytes }),
      limitError: (message, limit) => datasetTooLarge(message, limit === 'bytes' ? 'maxBytes' : 'maxImages'),
    });
    if (!entries.some((e) => e.type !== 'Directory')) throw invalidDataset('The archive holds no files.');
    await extractTar(tarPath, destDir);
  } catch (err) {
    // A corrupt archive is a bad dataset here, not a bad model artifact.
    if (isAppError(err) && err.code === 'invalid_artifact') throw invalidDataset(err.message);
    throw err;
  }
  await listFolderFiles(destDir);
  return findClassRoot(destDir);
}
