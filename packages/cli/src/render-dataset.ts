import type {
  Dataset,
  DatasetColumn,
  DatasetListItem,
  InferredImageSchema,
  InferredTableSchema,
} from '@modelport/sdk';
import { formatTable } from './format-table.js';
import { formatBytes, formatTime } from './format-values.js';

/** Longer preview cells and top-value lists are cut on the terminal (`--json` has them whole). */
const MAX_CELL_CHARS = 40;
const MAX_TOP_CHARS = 72;

export function summaryText(dataset: DatasetListItem): string {
  const s = dataset.summary;
  return s.kind === 'table'
    ? `${s.rows} rows × ${s.columns} columns`
    : `${s.images} images in ${s.classes} classes`;
}

/** `datasets show`: the dataset, then its schema as tables. */
export function renderDataset(dataset: Dataset): string {
  const header = formatTable(
    ['', ''],
    [
      ['name:', dataset.name],
      ['format:', dataset.format],
      ['content:', summaryText(dataset)],
      ['size:', formatBytes(dataset.sizeBytes)],
      ['sha256:', dataset.sha256],
      ['created:', formatTime(dataset.createdAt)],
    ],
  );
  const lines = [`dataset ${dataset.id}`, ...indent(header.split('\n').slice(1)), ''];
  const body = dataset.schema.kind === 'table' ? renderTable(dataset.schema) : renderImages(dataset.schema);
  return [...lines, ...body].join('\n');
}

function indent(lines: string[]): string[] {
  return lines.map((l) => `  ${l}`);
}

function renderTable(schema: InferredTableSchema): string[] {
  const columns = formatTable(
    ['COLUMN', 'TYPE', 'MISSING', 'MIN', 'MAX', 'MEAN', 'DISTINCT', 'TOP VALUES'],
    schema.columns.map(columnRow),
  );
  const preview = formatTable(
    schema.columns.map((c) => cut(c.name)),
    schema.preview.map((row) => row.map((cell) => (cell === null ? '-' : cut(formatCell(cell))))),
  );
  return [columns, '', `first ${schema.preview.length} rows:`, preview];
}

function columnRow(column: DatasetColumn): string[] {
  if (column.type === 'number') {
    const stat = (v: number | null) => (v === null ? '-' : formatNumber(v));
    return [
      column.name,
      'number',
      String(column.missing),
      stat(column.min),
      stat(column.max),
      stat(column.mean),
      '-',
      '-',
    ];
  }
  const top = column.top.map((t) => `${t.value} (${t.count})`).join(', ');
  return [
    column.name,
    'string',
    String(column.missing),
    '-',
    '-',
    '-',
    String(column.distinct),
    cut(top, MAX_TOP_CHARS),
  ];
}

function renderImages(schema: InferredImageSchema): string[] {
  const range = (r: { min: number; max: number }) => (r.min === r.max ? String(r.min) : `${r.min}–${r.max}`);
  const sizes = formatTable(
    ['', ''],
    [
      ['width:', range(schema.width)],
      ['height:', range(schema.height)],
      ['channels:', schema.channels.join(', ')],
      ['encodings:', schema.encodings.join(', ')],
    ],
  );
  const classes = formatTable(
    ['CLASS', 'IMAGES'],
    schema.classes.map((c) => [c.name, String(c.count)]),
  );
  return [...indent(sizes.split('\n').slice(1)), '', classes];
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function formatCell(cell: number | string): string {
  return typeof cell === 'number' ? formatNumber(cell) : cell.replace(/\s+/g, ' ');
}

function cut(text: string, max = MAX_CELL_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
