import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectDatasetFormat, readCsvFrame, readJsonlFrame, type TableFrame } from '../src/formats/index.js';
import {
  carsRows,
  IRIS_COLUMNS,
  irisRows,
  mnistPng,
  mnistTar,
  toCsv,
  toJsonl,
} from './support/dataset-files.js';
import { expectAppError, expectAppErrorSync } from './support/expect-app-error.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('dataset-readers');

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(await tempDir(), name);
  await writeFile(file, content);
  return file;
}

const column = (frame: TableFrame, name: string) => {
  const found = frame.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
};
const nulls = (frame: TableFrame, name: string) =>
  column(frame, name).values.filter((v) => v === null).length;

describe('readCsvFrame', () => {
  it('reads the cars of vega-datasets: 406 rows, typed columns, the 14 missing values', async () => {
    const frame = await readCsvFrame(await fileWith('cars.csv', toCsv(carsRows())));
    expect(frame.rowCount).toBe(406);
    expect(frame.columns.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Miles_per_Gallon', 'number'],
      ['Cylinders', 'number'],
      ['Displacement', 'number'],
      ['Horsepower', 'number'],
      ['Weight_in_lbs', 'number'],
      ['Acceleration', 'number'],
      ['Year', 'string'],
      ['Origin', 'string'],
    ]);
    expect(nulls(frame, 'Miles_per_Gallon')).toBe(8);
    expect(nulls(frame, 'Horsepower')).toBe(6);
    expect(column(frame, 'Miles_per_Gallon').values.slice(0, 2)).toEqual([18, 15]);
    expect(column(frame, 'Name').values[0]).toBe('chevrolet chevelle malibu');
    for (const c of frame.columns) expect(c.values).toHaveLength(406);
  });

  it('reads iris with its class column', async () => {
    const frame = await readCsvFrame(await fileWith('iris.csv', toCsv(irisRows(), IRIS_COLUMNS)));
    expect(frame.rowCount).toBe(150);
    expect(column(frame, 'species').type).toBe('string');
    expect(new Set(column(frame, 'species').values)).toEqual(new Set(['setosa', 'versicolor', 'virginica']));
    expect(column(frame, 'petal_width').type).toBe('number');
  });

  it('treats empty, NA, NaN and null as missing, and types a column by its present cells', async () => {
    const csv = 'a,b,c,d\n1,x,1e3,0x10\nNA,,-2.5, 7\nNaN,null,.5,8\n,y,+4,Infinity\n';
    const frame = await readCsvFrame(await fileWith('missing.csv', csv));
    expect(column(frame, 'a')).toEqual({ name: 'a', type: 'number', values: [1, null, null, null] });
    expect(column(frame, 'b')).toEqual({ name: 'b', type: 'string', values: ['x', null, null, 'y'] });
    expect(column(frame, 'c')).toEqual({ name: 'c', type: 'number', values: [1000, -2.5, 0.5, 4] });
    // Hexadecimal and Infinity are not finite decimal numbers: the column stays text, as written.
    expect(column(frame, 'd')).toEqual({
      name: 'd',
      type: 'string',
      values: ['0x10', ' 7', '8', 'Infinity'],
    });
  });

  it('reads quoted commas, quotes and line breaks, a BOM and CRLF, and skips blank lines', async () => {
    const csv = '\uFEFFname,note\r\n"Smith, J.","said ""hi""\r\nand left"\r\n\r\nDoe,plain\r\n';
    const frame = await readCsvFrame(await fileWith('quoted.csv', csv));
    expect(frame.rowCount).toBe(2);
    expect(column(frame, 'name').values).toEqual(['Smith, J.', 'Doe']);
    expect(column(frame, 'note').values).toEqual(['said "hi"\r\nand left', 'plain']);
  });

  it('names the row, line and field counts of a ragged row', async () => {
    const file = await fileWith('ragged.csv', 'a,b\n1,2\n3,4,5\n');
    const err = await expectAppError(
      readCsvFrame(file),
      'invalid_dataset',
      /^CSV row 2 \(line 3\) has 3 fields; the header has 2\.$/,
    );
    expect(err.details).toEqual({ row: 2, line: 3 });
  });

  it('names the row and column of an unterminated quote', async () => {
    const file = await fileWith('quote.csv', 'a,b,c\n1,2,3\n4,"5,6\n7,8,9\n');
    const err = await expectAppError(
      readCsvFrame(file),
      'invalid_dataset',
      /^CSV row 2, column "b": a quoted field is never closed/,
    );
    expect(err.details).toEqual({ row: 2, column: 'b' });
  });

  it('names a stray quote inside a field', async () => {
    const file = await fileWith('stray.csv', 'a,b\n1,"x"y\n');
    await expectAppError(readCsvFrame(file), 'invalid_dataset', /^CSV row 1 \(line 2\), column "b": /);
  });

  it('refuses empty and repeated header names, naming the column', async () => {
    await expectAppError(
      readCsvFrame(await fileWith('empty-name.csv', 'a,,c\n1,2,3\n')),
      'invalid_dataset',
      /^Column 2 of the CSV header has no name\.$/,
    );
    await expectAppError(
      readCsvFrame(await fileWith('twice.csv', 'a,b,a\n1,2,3\n')),
      'invalid_dataset',
      /^Column 3 of the CSV header repeats the name "a" of column 1\.$/,
    );
  });

  it('refuses a file without rows', async () => {
    await expectAppError(readCsvFrame(await fileWith('header.csv', 'a,b\n')), 'invalid_dataset', /no rows/);
    await expectAppError(readCsvFrame(await fileWith('blank.csv', '\n\n')), 'invalid_dataset', /empty/);
  });

  it('stops at the row, column and cell limits', async () => {
    const file = await fileWith('cars-limits.csv', toCsv(carsRows()));
    await expectAppError(
      readCsvFrame(file, { maxRows: 100 }),
      'dataset_too_large',
      /more than 100 rows.*maxRows/,
    );
    await expectAppError(readCsvFrame(file, { maxColumns: 8 }), 'dataset_too_large', /more than 8 columns/);
    await expectAppError(readCsvFrame(file, { maxCells: 900 }), 'dataset_too_large', /more than 900 cells/);
    expect((await readCsvFrame(file, { maxRows: 406, maxColumns: 9, maxCells: 406 * 9 })).rowCount).toBe(406);
  });
});

describe('readJsonlFrame', () => {
  it('reads the cars as JSON Lines exactly as the CSV', async () => {
    const rows = carsRows();
    const fromJsonl = await readJsonlFrame(await fileWith('cars.jsonl', toJsonl(rows)));
    const fromCsv = await readCsvFrame(await fileWith('cars2.csv', toCsv(rows)));
    expect(fromJsonl).toEqual(fromCsv);
  });

  it('takes the keys in order of appearance; an absent key, null and "NA" are missing', async () => {
    const text = '{"a":1,"b":"x"}\n\n{"b":"NA","c":true}\r\n{"a":null,"c":false,"d":"3"}\n';
    const frame = await readJsonlFrame(await fileWith('keys.jsonl', text));
    expect(frame.rowCount).toBe(3);
    expect(frame.columns).toEqual([
      { name: 'a', type: 'number', values: [1, null, null] },
      { name: 'b', type: 'string', values: ['x', null, null] },
      { name: 'c', type: 'string', values: [null, 'true', 'false'] },
      { name: 'd', type: 'number', values: [null, null, 3] },
    ]);
  });

  it('names the line of invalid JSON, of a line that is not an object, of a nested value', async () => {
    const bad = await fileWith('bad.jsonl', '{"a":1}\n{"a":2,}\n');
    const err = await expectAppError(readJsonlFrame(bad), 'invalid_dataset', /^Line 2 is not valid JSON: /);
    expect(err.details).toEqual({ line: 2 });
    await expectAppError(
      readJsonlFrame(await fileWith('array.jsonl', '{"a":1}\n\n[1,2]\n')),
      'invalid_dataset',
      /^Line 3 is an array, not a JSON object\.$/,
    );
    await expectAppError(
      readJsonlFrame(await fileWith('number.jsonl', '42\n')),
      'invalid_dataset',
      /^Line 1 is a number, not a JSON object\.$/,
    );
    const nested = await expectAppError(
      readJsonlFrame(await fileWith('nested.jsonl', '{"a":1}\n{"a":2,"b":{"c":3}}\n')),
      'invalid_dataset',
      /^Line 2, key "b": an object is not a cell/,
    );
    expect(nested.details).toEqual({ line: 2, row: 2, column: 'b' });
  });

  it('hints at JSON Lines for a JSON array, and refuses no rows or an empty key', async () => {
    await expectAppError(
      readJsonlFrame(await fileWith('cars.json', JSON.stringify(carsRows().slice(0, 3), null, 2))),
      'invalid_dataset',
      /^Line 1 is not valid JSON: .*a JSON array is not JSON Lines/,
    );
    await expectAppError(readJsonlFrame(await fileWith('none.jsonl', '\n \n')), 'invalid_dataset', /no rows/);
    await expectAppError(
      readJsonlFrame(await fileWith('empty-key.jsonl', '{"a":1,"":2}\n')),
      'invalid_dataset',
      /^The key "" on line 1 has no name\.$/,
    );
  });

  it('stops at the row and column limits', async () => {
    const file = await fileWith('limits.jsonl', toJsonl(carsRows()));
    await expectAppError(readJsonlFrame(file, { maxRows: 10 }), 'dataset_too_large', /maxRows/);
    await expectAppError(readJsonlFrame(file, { maxColumns: 5 }), 'dataset_too_large', /maxColumns/);
  });
});

describe('detectDatasetFormat', () => {
  const text = (s: string) => Buffer.from(s);
  it('knows archives by their bytes, text by what the caller declares, else by its first character', async () => {
    const tar = await mnistTar({ perClass: () => 1 });
    expect(detectDatasetFormat(tar)).toBe('images');
    expect(detectDatasetFormat(gzipSync(tar), { mediaType: 'text/csv' })).toBe('images');
    expect(detectDatasetFormat(text('a,b\n1,2\n'))).toBe('csv');
    expect(detectDatasetFormat(text('\uFEFF {"a":1}\n'))).toBe('jsonl');
    expect(detectDatasetFormat(text('{"a":1}\n'), { mediaType: 'text/csv' })).toBe('csv');
    expect(detectDatasetFormat(text('a\n1\n'), { mediaType: 'application/x-ndjson' })).toBe('jsonl');
    expect(detectDatasetFormat(text('a\n1\n'), { fileName: 'rows.JSONL' })).toBe('jsonl');
    expect(detectDatasetFormat(text('{"a":1}\n'), { format: 'csv' })).toBe('csv');
  });

  it('refuses bytes that fit no format, or contradict the one asked for', async () => {
    const tar = await mnistTar({ perClass: () => 1 });
    const png = await mnistPng(1, 0);
    expectAppErrorSync(() => detectDatasetFormat(Buffer.alloc(0)), 'invalid_dataset', /empty/);
    expectAppErrorSync(
      () => detectDatasetFormat(tar, { format: 'csv' }),
      'invalid_dataset',
      /tar archive, not CSV/,
    );
    expectAppErrorSync(
      () => detectDatasetFormat(text('a,b'), { format: 'images' }),
      'invalid_dataset',
      /tar/,
    );
    expectAppErrorSync(() => detectDatasetFormat(text('PK\u0003\u0004')), 'invalid_dataset', /Zip archives/);
    expectAppErrorSync(() => detectDatasetFormat(png), 'invalid_dataset', /neither UTF-8 text/);
    expectAppErrorSync(() => detectDatasetFormat(text('[{"a":1}]')), 'invalid_dataset', /JSON array/);
  });
});
