import type { DatasetFormat } from '@modelport/contracts';
import type { DatasetFrame } from './dataset-frame.js';
import type { DatasetLimits } from './dataset-limits.js';
import { listImageFolder } from './list-image-folder.js';
import { readCsvFrame } from './read-csv-frame.js';
import { readJsonlFrame } from './read-jsonl-frame.js';

/**
 * A stored dataset as a frame: `localPath` is the file of a table, or the unpacked folder of an image
 * dataset (its items are that folder's files with their class).
 */
export function readDatasetFrame(
  format: DatasetFormat,
  localPath: string,
  limits: DatasetLimits = {},
): Promise<DatasetFrame> {
  switch (format) {
    case 'csv':
      return readCsvFrame(localPath, limits);
    case 'jsonl':
      return readJsonlFrame(localPath, limits);
    case 'images':
      return listImageFolder(localPath, limits);
  }
}
