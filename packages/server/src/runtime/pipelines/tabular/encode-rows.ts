import { AppError } from '../../../platform/errors/index.js';
import type { Tensor } from '../../../wire/index.js';
import {
  encodedWidth,
  type PreprocessedColumn,
  type RowPreprocessing,
} from '../../../wire/task-config/index.js';

const FP32_MAX = 3.4028234663852886e38;

function badRow(message: string, param: string): AppError {
  return new AppError('validation_failed', message, { param });
}

/**
 * Raw rows (the dataset's column names, numbers and strings, null for missing) → the FP32
 * [rows, width] the trained model takes, applying the stored preprocessing. Every row is checked
 * first, naming the row and field of the first bad value.
 */
export function encodeRows(
  rows: readonly Record<string, unknown>[],
  preprocessing: RowPreprocessing,
  name: string,
): Tensor<'FP32'> {
  const { columns } = preprocessing;
  const known = new Set(columns.map((c) => c.name));
  const width = columns.reduce((sum, c) => sum + encodedWidth(c), 0);
  const data = new Float32Array(rows.length * width);
  rows.forEach((row, r) => {
    for (const field of Object.keys(row)) {
      if (!known.has(field))
        throw badRow(
          `rows[${r}] has an unknown field '${field}'; the model takes ${[...known].join(', ')}.`,
          `rows.${r}.${field}`,
        );
    }
    let offset = r * width;
    for (const column of columns) {
      const value = Object.hasOwn(row, column.name) ? row[column.name] : undefined;
      encodeCell(value, column, data, offset, `rows.${r}.${column.name}`);
      offset += encodedWidth(column);
    }
  });
  return { name, datatype: 'FP32', shape: [rows.length, width], data };
}

function encodeCell(
  raw: unknown,
  column: PreprocessedColumn,
  out: Float32Array,
  offset: number,
  param: string,
): void {
  const missing = raw === undefined || raw === null;
  const value = missing ? column.fill : raw;
  if (value === null || value === undefined)
    throw badRow(`${param} is missing, and the model has no value to fill in for '${column.name}'.`, param);
  if (column.kind === 'number') {
    out[offset] = numberInput(value, column, param);
    return;
  }
  if (typeof value !== 'string' && typeof value !== 'number')
    throw badRow(`${param} must be one of the categories of '${column.name}'.`, param);
  const index = column.categories.indexOf(String(value));
  if (index >= 0) out[offset + index] = 1;
  else if (column.unknown === 'error')
    throw badRow(
      `${param} is '${String(value)}', which training never saw; '${column.name}' takes ${column.categories.join(', ')}.`,
      param,
    );
}

function numberInput(value: unknown, column: PreprocessedColumn & { kind: 'number' }, param: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > FP32_MAX)
    throw badRow(`${param} must be a finite number (within FP32 range).`, param);
  if (column.log1p && value <= -1)
    throw badRow(`${param} must be above -1 (the model takes log(1 + x)).`, param);
  const shaped = column.log1p ? Math.log1p(value) : value;
  return (shaped - column.center) / column.scale;
}
