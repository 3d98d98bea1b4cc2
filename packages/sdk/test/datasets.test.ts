import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  carsRows,
  IRIS_COLUMNS,
  irisRows,
  mnistTar,
  toCsv,
  toJsonl,
} from '../../server/test/support/dataset-files.js';
import { BadRequestError, NotFoundError } from '../src/index.js';
import { caught } from './support/caught.js';
import { type SdkHarness, startHarness } from './support/server.js';

let h: SdkHarness;
let dir: string;
beforeAll(async () => {
  h = await startHarness();
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-sdk-datasets-'));
});
afterAll(async () => {
  await h?.server.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('datasets', () => {
  it('pushes a CSV file and reports progress; lists, gets and deletes it', async () => {
    const file = path.join(dir, 'iris.csv');
    const csv = toCsv(irisRows(), IRIS_COLUMNS);
    await writeFile(file, csv);
    const progress: Array<[number, number | undefined]> = [];
    const dataset = await h.admin.datasets.push(file, {
      name: 'iris',
      onProgress: (s, t) => progress.push([s, t]),
    });
    expect(dataset).toMatchObject({
      name: 'iris',
      format: 'csv',
      summary: { kind: 'table', rows: 150, columns: 5 },
    });
    expect(progress.at(-1)).toEqual([csv.length, csv.length]);

    expect((await h.admin.datasets.list()).map((d) => d.id)).toContain(dataset.id);
    expect(await h.admin.datasets.get(dataset.id)).toEqual(dataset);
    await h.admin.datasets.delete(dataset.id);
    const err = await caught(h.admin.datasets.get(dataset.id));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ code: 'dataset_not_found' });
  });

  it('pushes JSON Lines from bytes, a .tar.gz of digits from a stream, and a file read by its extension', async () => {
    const jsonl = await h.admin.datasets.push(Buffer.from(toJsonl(carsRows())), { name: 'cars' });
    expect(jsonl).toMatchObject({ format: 'jsonl', summary: { rows: 406, columns: 9 } });

    const tgz = await mnistTar({ perClass: () => 4, wrapper: 'digits', gzip: true });
    const images = await h.admin.datasets.push(Readable.from([tgz]), { name: 'digits', size: tgz.length });
    expect(images.summary).toEqual({ kind: 'images', images: 40, classes: 10 });

    // A first `{` would read as JSON Lines; the .csv extension makes it CSV.
    const file = path.join(dir, 'braces.csv');
    await writeFile(file, '{a},b\n{1},2\n');
    expect((await h.admin.datasets.push(file, { name: 'braces' })).format).toBe('csv');
    expect(
      (await h.admin.datasets.push(Buffer.from('{a},b\n{1},2\n'), { name: 'b2', format: 'csv' })).format,
    ).toBe('csv');
  });

  it('throws BadRequestError with the code and the row at fault', async () => {
    const err = await caught(h.admin.datasets.push(Buffer.from('a,b\n1,2\n3\n'), { name: 'ragged' }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ code: 'invalid_dataset' });
    expect(err.message).toMatch(/CSV row 2 \(line 3\) has 1 field; the header has 2/);
  });
});
