import type { Cell, TableColumn, TableFrame } from './dataset-frame.js';
import type { DatasetLimits } from './dataset-limits.js';
import { datasetTooLarge, invalidDataset, shown } from './dataset-problems.js';

/** A cell as read, before its column is typed: text from CSV, any JSON scalar from JSON Lines. */
export type RawCell = string | number | null;

/** Text that means "no value", in CSV cells and JSON strings alike (JSON null is missing too). */
const MISSING: ReadonlySet<string> = new Set(['', 'NA', 'NaN', 'null']);
/** Decimal numbers only: `Number()` alone would also take `0x1f`, `0b1` and whitespace. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Collects rows column by column, then types each column: `number` when every present cell is a
 * finite decimal number, else `string` (numbers then keep their text form). Refuses rows past the
 * limits as they come, so an oversized file fails before it fills the memory.
 */
export class TableBuilder {
  private readonly names: string[] = [];
  private readonly indexOf = new Map<string, number>();
  private readonly cells: RawCell[][] = [];
  private rows = 0;

  constructor(private readonly limits: DatasetLimits) {}

  get rowCount(): number {
    return this.rows;
  }

  get columnNames(): readonly string[] {
    return this.names;
  }

  /** Adds a column, empty in the rows already read. Throws when the name is empty or taken. */
  addColumn(name: string, where: string): number {
    if (name.trim() === '') throw invalidDataset(`${where} has no name.`, { column: name });
    const taken = this.indexOf.get(name);
    if (taken !== undefined) {
      throw invalidDataset(`${where} repeats the name ${shown(name)} of column ${taken + 1}.`, {
        column: name,
      });
    }
    const max = this.limits.maxColumns;
    if (max !== undefined && this.names.length >= max) {
      throw datasetTooLarge(`The dataset has more than ${max} columns`, 'maxColumns');
    }
    this.indexOf.set(name, this.names.length);
    this.names.push(name);
    this.cells.push(new Array<RawCell>(this.rows).fill(null));
    return this.names.length - 1;
  }

  column(name: string): number | undefined {
    return this.indexOf.get(name);
  }

  /** One row, one cell per column in column order (absent columns of `values` are missing). */
  addRow(values: readonly RawCell[]): void {
    this.countRow();
    for (let i = 0; i < this.cells.length; i++) this.cells[i]?.push(normalise(values[i] ?? null));
  }

  build(): TableFrame {
    const columns: TableColumn[] = this.names.map((name, i) => typed(name, this.cells[i] ?? []));
    return { kind: 'table', rowCount: this.rows, columns };
  }

  private countRow(): void {
    const { maxRows, maxCells } = this.limits;
    if (maxRows !== undefined && this.rows >= maxRows) {
      throw datasetTooLarge(`The dataset has more than ${maxRows} rows`, 'maxRows');
    }
    if (maxCells !== undefined && (this.rows + 1) * this.names.length > maxCells) {
      throw datasetTooLarge(
        `The dataset has more than ${maxCells} cells (${this.names.length} columns × ${this.rows + 1} rows)`,
        'maxCells',
      );
    }
    this.rows++;
  }
}

function normalise(value: RawCell): RawCell {
  return typeof value === 'string' && MISSING.has(value.trim()) ? null : value;
}

function isNumeric(value: RawCell): boolean {
  if (typeof value === 'number') return true;
  if (value === null) return true;
  const text = value.trim();
  return DECIMAL.test(text) && Number.isFinite(Number(text));
}

function typed(name: string, raw: readonly RawCell[]): TableColumn {
  if (raw.every(isNumeric)) {
    const values: Cell[] = raw.map((v) => (v === null ? null : typeof v === 'number' ? v : Number(v.trim())));
    return { name, type: 'number', values };
  }
  const values: Cell[] = raw.map((v) => (v === null ? null : String(v)));
  return { name, type: 'string', values };
}
