import { describeValue, tensorError } from './codec-errors.js';

/** Where a tensor's JSON data sits, for error messages. */
export interface JsonDataPlace {
  label: string;
  /** e.g. `inputs[0].data` */
  param: string;
  shape: readonly number[];
}

/**
 * The innermost rows of JSON tensor data given flat (`[1,2,3,4]`, one row, not copied) or nested
 * exactly as the shape says (`[[1,2],[3,4]]`), after one structural check of every level above the
 * elements. The elements themselves are left to the typed loop that converts them.
 */
export function jsonDataRows(data: unknown, count: number, place: JsonDataPlace): unknown[][] {
  const { shape, label, param } = place;
  if (!Array.isArray(data))
    throw tensorError(`${label}: data must be an array, got ${describeValue(data)}.`, param);
  if (!isNested(data, shape)) {
    if (data.length !== count)
      throw tensorError(
        `${label}: shape [${shape.join(',')}] needs ${count} elements, data has ${data.length}.`,
        param,
      );
    return [data];
  }
  const rows: unknown[][] = [];
  collectRows(data, 0, place, rows, []);
  return rows;
}

export function isNested(data: readonly unknown[], shape: readonly number[]): boolean {
  return shape.length > 1 && data.length > 0 && Array.isArray(data[0]);
}

/** `indices` is the path to `level`, turned into text only for an error. */
function collectRows(
  level: unknown,
  depth: number,
  place: JsonDataPlace,
  rows: unknown[][],
  indices: number[],
): void {
  const { shape } = place;
  const dim = shape[depth] ?? 0;
  if (!Array.isArray(level) || level.length !== dim)
    throw tensorError(
      `${place.label}: ${dataPath(indices)} should be an array of ${dim} to match shape [${shape.join(',')}], ` +
        `got ${Array.isArray(level) ? `${level.length} elements` : describeValue(level)}.`,
      place.param,
    );
  if (depth === shape.length - 1) {
    rows.push(level);
    return;
  }
  for (let i = 0; i < level.length; i++) {
    indices.push(i);
    collectRows(level[i], depth + 1, place, rows, indices);
    indices.pop();
  }
}

/** The message for an element that is itself an array, in the row at flat element `index`. */
export function nestsDeeperError(index: number, place: JsonDataPlace): Error {
  const { shape } = place;
  const rowLength = shape[shape.length - 1] ?? 1;
  let row = Math.floor(index / Math.max(1, rowLength));
  const indices: number[] = [];
  for (let d = shape.length - 2; d >= 0; d--) {
    const dim = shape[d] ?? 1;
    indices.unshift(row % dim);
    row = Math.floor(row / dim);
  }
  return tensorError(
    `${place.label}: ${dataPath(indices)} nests deeper than shape [${shape.join(',')}].`,
    place.param,
  );
}

function dataPath(indices: readonly number[]): string {
  return `data${indices.map((i) => `[${i}]`).join('')}`;
}
