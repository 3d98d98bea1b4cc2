import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { isAppError } from '../platform/errors/index.js';
import type { TableFrame } from './dataset-frame.js';
import type { DatasetLimits } from './dataset-limits.js';
import { invalidDataset, shown } from './dataset-problems.js';
import { TableBuilder } from './table-builder.js';

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Reads a comma-separated file with a header row (RFC 4180 quoting, UTF-8, an optional BOM; blank
 * lines skipped) into a table, streaming. Throws `invalid_dataset` naming the row, line and column
 * at fault, `dataset_too_large` past a limit.
 */
export async function readCsvFrame(file: string, limits: DatasetLimits = {}): Promise<TableFrame> {
  const table = new TableBuilder(limits);
  const source = createReadStream(file);
  const parser = source.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }),
  );
  // `pipe` does not pass the file's errors on (a missing file would be an uncaught error): the parser rethrows them.
  source.on('error', (err) => parser.destroy(err));
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<ParsedRecord>) {
      if (header === undefined) {
        header = record.map((name) => name.trim());
        for (const [i, name] of header.entries()) table.addColumn(name, `Column ${i + 1} of the CSV header`);
        continue;
      }
      const row = table.rowCount + 1;
      if (record.length !== header.length) {
        throw invalidDataset(
          `CSV row ${row} (line ${info.lines}) has ${fields(record.length)}; the header has ${header.length}.`,
          { row, line: info.lines },
        );
      }
      table.addRow(record);
    }
  } catch (err) {
    parser.destroy();
    if (isAppError(err)) throw err;
    if (err instanceof CsvError) throw csvProblem(err, header);
    throw err;
  }
  if (header === undefined) throw invalidDataset('The CSV file is empty: no header, no rows.');
  if (table.rowCount === 0) throw invalidDataset('The CSV file has a header but no rows.', { row: 1 });
  return table.build();
}

function fields(count: number): string {
  return count === 1 ? '1 field' : `${count} fields`;
}

/** csv-parse's own error, with the row and the column it happened in. */
function csvProblem(err: CsvError, header: string[] | undefined) {
  const records = typeof err.records === 'number' ? err.records : 0;
  const lines = typeof err.lines === 'number' ? err.lines : undefined;
  const field = typeof err.index === 'number' ? err.index : undefined;
  // `records` counts the header: the failing record is the next one.
  const row = header === undefined ? undefined : records;
  const what = row === undefined ? 'The CSV header' : `CSV row ${row}`;
  const columnName = field === undefined ? undefined : header?.[field];
  const column = columnName === undefined ? '' : `, column ${shown(columnName)}`;
  const place = {
    ...(row === undefined ? {} : { row }),
    ...(columnName === undefined ? {} : { column: columnName }),
  };
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    return invalidDataset(
      `${what}${column}: a quoted field is never closed (the file ends inside quotes${lines === undefined ? '' : ` at line ${lines}`}).`,
      place,
    );
  }
  const at = lines === undefined ? '' : ` (line ${lines})`;
  return invalidDataset(`${what}${at}${column}: ${err.message}`, {
    ...place,
    ...(lines === undefined ? {} : { line: lines }),
  });
}
