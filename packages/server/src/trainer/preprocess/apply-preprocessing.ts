import type { Cell } from '../../formats/index.js';
import type { ImagePreprocessingState, TablePreprocessingState } from '../../wire/training/index.js';
import { datasetError, rowName } from '../training-errors.js';
import { numericCell } from './numeric-cell.js';
import { labelOf } from './sort-labels.js';

/** A raw table row by column name, as a request or a dataset file has it; an absent column is missing. */
export type RawRow = Readonly<Record<string, Cell | undefined>>;

/**
 * The model input of each row, row after row (`rows.length × state.inputWidth` floats): what
 * training fed the model and what serving must feed it. Pure: no state besides its arguments.
 */
export function applyPreprocessing(state: TablePreprocessingState, rows: readonly RawRow[]): Float32Array {
  const out = new Float32Array(rows.length * state.inputWidth);
  const slots = state.features.map((f) =>
    f.kind === 'one_hot' ? new Map(f.categories.map((c, i) => [c, i])) : null,
  );
  for (const [r, row] of rows.entries()) {
    let at = r * state.inputWidth;
    for (const [f, feature] of state.features.entries()) {
      const cell = row[feature.column] ?? null;
      if (feature.kind === 'number') {
        const raw = numericCell(cell, feature.column, r) ?? feature.fill;
        if (raw === null) throw missing(feature.column, r);
        if (feature.log1p && raw <= -1) {
          throw datasetError(
            `Column "${feature.column}", ${rowName(r)}: log1p needs values above -1, got ${raw}`,
            feature.column,
          );
        }
        out[at++] = ((feature.log1p ? Math.log1p(raw) : raw) - feature.mean) / feature.std;
      } else {
        const category = cell === null ? feature.fill : labelOf(cell);
        if (category === null) throw missing(feature.column, r);
        const slot = slots[f]?.get(category);
        if (slot !== undefined) out[at + slot] = 1;
        at += feature.categories.length;
      }
    }
  }
  return out;
}

/**
 * One decoded image (`height × width × channels` bytes, HWC, already resized) into the model's
 * input: `(pixel × scale − mean[c]) / std[c]`, written into `out` at `offset`.
 */
export function applyImagePreprocessing(
  state: ImagePreprocessingState,
  pixels: Uint8Array,
  out: Float32Array,
  offset = 0,
): void {
  const size = state.width * state.height * state.channels;
  if (pixels.length !== size) throw new Error(`expected ${size} bytes of pixels, got ${pixels.length}`);
  for (let i = 0; i < size; i++) {
    const c = i % state.channels;
    out[offset + i] =
      ((pixels[i] as number) * state.scale - (state.mean[c] as number)) / (state.std[c] as number);
  }
}

function missing(column: string, row: number) {
  return datasetError(
    `Column "${column}", ${rowName(row)}: the value is missing and training dropped such rows`,
    column,
  );
}
