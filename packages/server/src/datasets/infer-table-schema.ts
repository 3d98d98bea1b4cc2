import {
  DATASET_PREVIEW_ROWS,
  DATASET_SHOWN_CHARS,
  DATASET_TOP_VALUES,
  type DatasetCell,
  type DatasetColumn,
  type InferredTableSchema,
} from '@modelport/contracts';
import type { TableColumn, TableFrame } from '../formats/index.js';

/** Rows, per-column statistics and the first rows: what `GET /api/v1/datasets/{id}` shows of a table. */
export function inferTableSchema(frame: TableFrame): InferredTableSchema {
  const preview: DatasetCell[][] = [];
  for (let row = 0; row < Math.min(frame.rowCount, DATASET_PREVIEW_ROWS); row++) {
    preview.push(frame.columns.map((c) => shownCell(c.values[row] ?? null)));
  }
  return { kind: 'table', rows: frame.rowCount, columns: frame.columns.map(describeColumn), preview };
}

function describeColumn(column: TableColumn): DatasetColumn {
  return column.type === 'number' ? numberStats(column) : stringStats(column);
}

function numberStats(column: TableColumn): DatasetColumn {
  let missing = 0;
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of column.values) {
    if (typeof value !== 'number') {
      missing++;
      continue;
    }
    count++;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const present = count > 0;
  return {
    name: column.name,
    type: 'number',
    missing,
    min: present ? min : null,
    max: present ? max : null,
    mean: present ? sum / count : null,
  };
}

function stringStats(column: TableColumn): DatasetColumn {
  let missing = 0;
  const counts = new Map<string, number>();
  for (const value of column.values) {
    if (value === null) missing++;
    else counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
  }
  const top = [...counts]
    .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, DATASET_TOP_VALUES)
    .map(([value, count]) => ({ value: shownText(value), count }));
  return { name: column.name, type: 'string', missing, distinct: counts.size, top };
}

function shownText(text: string): string {
  return text.length > DATASET_SHOWN_CHARS ? `${text.slice(0, DATASET_SHOWN_CHARS)}…` : text;
}

function shownCell(cell: DatasetCell): DatasetCell {
  return typeof cell === 'string' ? shownText(cell) : cell;
}
