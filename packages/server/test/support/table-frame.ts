import type { Cell, TableColumn, TableFrame } from '../../src/formats/index.js';

/**
 * A table frame from records (as a JSON dataset holds them): a column is `number` when every present
 * cell is a finite number, else `string`; null and absent cells are missing.
 */
export function tableFrame(records: readonly Readonly<Record<string, unknown>>[]): TableFrame {
  const names = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const columns = names.map((name): TableColumn => {
    const values = records.map((r): Cell => {
      const v = r[name];
      if (v === null || v === undefined) return null;
      return typeof v === 'number' ? v : String(v);
    });
    const numeric = values.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)));
    return {
      name,
      type: numeric ? 'number' : 'string',
      values: numeric ? values : values.map((v) => (v === null ? null : String(v))),
    };
  });
  return { kind: 'table', rowCount: records.length, columns };
}
