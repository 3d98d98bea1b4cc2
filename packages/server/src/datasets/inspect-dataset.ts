import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetFormat, InferredSchema } from '@modelport/contracts';
import {
  type DatasetLimits,
  extractImageDataset,
  inspectImages,
  listImageFolder,
  readCsvFrame,
  readJsonlFrame,
} from '../formats/index.js';
import { inferImageSchema } from './infer-image-schema.js';
import { inferTableSchema } from './infer-table-schema.js';

export interface InspectLimits extends DatasetLimits {
  maxImagePixels: number;
}

export interface InspectedDataset {
  schema: InferredSchema;
  /** An image dataset's class folders, unpacked inside `workDir`: stored beside the archive. */
  folder?: string;
}

/**
 * Reads an uploaded file as the dataset `format` says, with the readers training uses, and infers its
 * schema. Throws `invalid_dataset` or `dataset_too_large` for a file that may not be stored.
 */
export async function inspectDataset(
  file: string,
  format: DatasetFormat,
  workDir: string,
  limits: InspectLimits,
): Promise<InspectedDataset> {
  if (format === 'csv') return { schema: inferTableSchema(await readCsvFrame(file, limits)) };
  if (format === 'jsonl') return { schema: inferTableSchema(await readJsonlFrame(file, limits)) };
  const unpacked = await mkdtemp(path.join(workDir, 'images-'));
  const root = await extractImageDataset(file, unpacked, limits);
  // Listed from the archive's root, so messages name files as the archive does.
  const frame = await listImageFolder(unpacked, limits);
  const sizes = await inspectImages(frame, { maxImagePixels: limits.maxImagePixels, root: unpacked });
  return { schema: inferImageSchema(frame, sizes), folder: root };
}
