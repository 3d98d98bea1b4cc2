import { AppError } from '../platform/errors/index.js';

/** The data cannot serve the job as specified; `param` is the field of the specification involved. */
export function datasetError(message: string, param?: string): AppError {
  return new AppError('invalid_dataset', message, param === undefined ? {} : { param });
}

/** The specification contradicts itself or the dataset's kind (caught before any data is read). */
export function specError(message: string, param: string): AppError {
  return new AppError('validation_failed', `Invalid training specification, ${param}: ${message}`, { param });
}

/** `row 12` of the dataset: 1-based, counting data rows (a header is not a row). */
export function rowName(index: number): string {
  return `row ${index + 1}`;
}
