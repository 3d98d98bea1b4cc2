import { AppError } from '../platform/errors/index.js';

/** Where in a dataset a problem is: what the message names, also as `details` for programs. */
export interface DatasetPlace {
  /** 1-based data row (the header is not counted). */
  row?: number;
  /** 1-based line of the file. */
  line?: number;
  column?: string;
  /** Path inside the archive. */
  file?: string;
}

/** A file that cannot be read as the dataset it claims to be. */
export function invalidDataset(message: string, place: DatasetPlace = {}): AppError {
  return new AppError('invalid_dataset', message, { details: place });
}

/** Past one of the `datasets` limits of the configuration; `setting` names it. */
export function datasetTooLarge(message: string, setting: string): AppError {
  return new AppError('dataset_too_large', `${message} (limit: datasets.${setting}).`, {
    details: { limit: setting },
  });
}

/** A name or value as it appears in a message: quoted, and cut when long. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
