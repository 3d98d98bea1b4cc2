import type { DatasetFrame } from '../formats/index.js';
import { isAppError } from '../platform/errors/index.js';
import type { DatasetSource } from '../wire/training/index.js';
import { datasetError } from './training-errors.js';

/** Reads a dataset file or folder into a frame: `readDatasetFrame` of formats/, once it exists. */
export type DatasetFrameReader = (format: string, path: string) => Promise<DatasetFrame>;

/**
 * The worker's dataset. A `frame` source is used as given; a `file` source goes through `read`
 * (trainer-main's seam: formats/ does not read dataset files yet).
 */
export async function loadDatasetFrame(
  source: DatasetSource,
  read?: DatasetFrameReader,
): Promise<DatasetFrame> {
  if (source.kind === 'frame') return source.frame;
  if (!read)
    throw datasetError(
      `No reader for ${source.format} datasets is available to the trainer yet (${source.path})`,
      'datasetId',
    );
  try {
    return await read(source.format, source.path);
  } catch (err) {
    if (isAppError(err)) throw err;
    // A file gone from under the job (deleted dataset, a cache emptied): the job fails naming it.
    throw datasetError(`The dataset cannot be read: ${(err as Error).message}`, 'datasetId');
  }
}
