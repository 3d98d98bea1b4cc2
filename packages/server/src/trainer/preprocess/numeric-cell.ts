import type { Cell } from '../../formats/index.js';
import { datasetError, rowName } from '../training-errors.js';

/**
 * A cell of a column used as a number: a number, or text that reads as a finite one ("3.5");
 * anything else is refused naming the column and row. Null stays null (missing).
 */
export function numericCell(
  cell: Cell | undefined,
  column: string,
  row: number,
  param?: string,
): number | null {
  if (cell === null || cell === undefined) return null;
  const value = typeof cell === 'number' ? cell : cell.trim() === '' ? Number.NaN : Number(cell);
  if (!Number.isFinite(value)) {
    throw datasetError(
      `Column "${column}", ${rowName(row)}: ${JSON.stringify(cell)} is not a number`,
      param ?? column,
    );
  }
  return value;
}

/** ln(1 + x) is only defined above -1. */
export function checkLog1pDomain(value: number, column: string, row: number): void {
  if (value <= -1) {
    throw datasetError(
      `Column "${column}", ${rowName(row)}: log1p needs values above -1, got ${value}`,
      'preprocessing.log1p',
    );
  }
}
