import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { TableFrame } from './dataset-frame.js';
import type { DatasetLimits } from './dataset-limits.js';
import { invalidDataset, shown } from './dataset-problems.js';
import { type RawCell, TableBuilder } from './table-builder.js';

/**
 * Reads JSON Lines (one JSON object per line, UTF-8; blank lines skipped) into a table, streaming.
 * Columns are the keys in the order they first appear; a row without a key is missing there.
 * Strings, numbers, booleans (as `true`/`false` text) and null are cells; nested objects and arrays
 * are refused, as is a line that is not a JSON object.
 */
export async function readJsonlFrame(file: string, limits: DatasetLimits = {}): Promise<TableFrame> {
  const table = new TableBuilder(limits);
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber++;
      const line = lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text;
      if (line.trim() === '') continue;
      addObject(table, parseLine(line, lineNumber), lineNumber);
    }
  } finally {
    lines.close();
    input.destroy();
  }
  if (table.rowCount === 0) throw invalidDataset('The JSON Lines file has no rows.');
  return table.build();
}

function parseLine(line: string, lineNumber: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    const hint =
      lineNumber === 1 && line.trimStart().startsWith('[')
        ? ' (a JSON array is not JSON Lines: write one object per line)'
        : '';
    throw invalidDataset(`Line ${lineNumber} is not valid JSON: ${(err as Error).message}${hint}`, {
      line: lineNumber,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidDataset(`Line ${lineNumber} is ${describe(value)}, not a JSON object.`, {
      line: lineNumber,
    });
  }
  return value as Record<string, unknown>;
}

function addObject(table: TableBuilder, object: Record<string, unknown>, lineNumber: number): void {
  const row: RawCell[] = new Array<RawCell>(table.columnNames.length).fill(null);
  for (const [key, value] of Object.entries(object)) {
    const index = table.column(key) ?? table.addColumn(key, `The key ${shown(key)} on line ${lineNumber}`);
    row[index] = cellOf(value, key, lineNumber, table.rowCount + 1);
  }
  table.addRow(row);
}

function cellOf(value: unknown, key: string, lineNumber: number, row: number): RawCell {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  throw invalidDataset(
    `Line ${lineNumber}, key ${shown(key)}: ${describe(value)} is not a cell (only strings, numbers, booleans and null are).`,
    { line: lineNumber, row, column: key },
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
