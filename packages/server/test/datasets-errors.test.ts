import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, type UploadOptions, uploadDataset } from './support/dataset-api.js';
import { buildTar, carsRows, mnistPng, mnistTar, toCsv, toJsonl } from './support/dataset-files.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const MAX_BYTES = 200_000;
const MAX_ROWS = 300;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    env: {
      MODELPORT_DATASET_MAX_BYTES: String(MAX_BYTES),
      MODELPORT_DATASET_MAX_ROWS: String(MAX_ROWS),
      MODELPORT_DATASET_MAX_COLUMNS: '50',
      MODELPORT_DATASET_MAX_IMAGES: '40',
      MODELPORT_DATASET_MAX_IMAGE_PIXELS: String(64 * 64),
    },
  });
});
afterAll(async () => {
  await t?.close();
});

const upload = async (bytes: Uint8Array | string, options: UploadOptions = {}) =>
  errorOf(await uploadDataset(t, bytes, options));

/** Nothing of a refused upload stays behind, and nothing was recorded. */
async function expectNothingKept(): Promise<void> {
  expect(await readdir(path.join(t.dataDir, 'tmp'))).toEqual([]);
  const list = (await (await t.fetch('/api/v1/datasets')).json()) as { data: unknown[] };
  expect(list.data).toEqual([]);
}

describe('bad dataset files answer 400 invalid_dataset, naming the row, column, line or file', () => {
  const png = mnistPng(7, 0);
  const cases: [
    string,
    () => Promise<Uint8Array | string>,
    UploadOptions,
    RegExp,
    Record<string, unknown>,
  ][] = [
    [
      'a ragged CSV row',
      async () => 'a,b,c\n1,2,3\n4,5\n',
      {},
      /^CSV row 2 \(line 3\) has 2 fields; the header has 3\.$/,
      { row: 2, line: 3 },
    ],
    [
      'an unterminated quote',
      async () => 'a,b\n1,2\n3,"4\n5,6\n',
      {},
      /^CSV row 2, column "b": a quoted field is never closed/,
      { row: 2, column: 'b' },
    ],
    [
      'a repeated header name',
      async () => 'x,y,x\n1,2,3\n',
      {},
      /^Column 3 of the CSV header repeats the name "x" of column 1\.$/,
      { column: 'x' },
    ],
    [
      'an empty header name',
      async () => 'x,,z\n1,2,3\n',
      {},
      /^Column 2 of the CSV header has no name\.$/,
      { column: '' },
    ],
    ['a CSV without rows', async () => 'a,b\n', {}, /has a header but no rows/, { row: 1 }],
    ['invalid JSON on a line', async () => '{"a":1}\n{"a":}\n', {}, /^Line 2 is not valid JSON/, { line: 2 }],
    [
      'a JSON Lines line that is not an object',
      async () => '{"a":1}\n"text"\n',
      {},
      /^Line 2 is a string, not a JSON object\.$/,
      { line: 2 },
    ],
    [
      'a nested JSON value',
      async () => '{"a":[1]}\n',
      { contentType: 'application/x-ndjson' },
      /^Line 1, key "a": an array is not a cell/,
      { line: 1, row: 1, column: 'a' },
    ],
    [
      'a JSON array',
      async () => JSON.stringify(carsRows().slice(0, 2)),
      {},
      /JSON array is not accepted/,
      { line: 1 },
    ],
    [
      'an image that does not decode',
      async () =>
        buildTar([
          { path: 'ok/1.png', data: await png },
          { path: 'bad/2.png', data: 'not a png' },
        ]),
      { contentType: 'application/x-tar' },
      /^"bad\/2.png" does not decode as an image/,
      { file: 'bad/2.png' },
    ],
    [
      'an image outside the class folders',
      async () =>
        buildTar([
          { path: 'd/cat/1.png', data: await png },
          { path: 'd/loose.png', data: await png },
        ]),
      {},
      /^"d\/loose.png" lies outside the class folders/,
      { file: 'd/loose.png' },
    ],
    [
      'a file that is not an image in a class',
      async () =>
        buildTar([
          { path: 'cat/1.png', data: await png },
          { path: 'cat/labels.csv', data: 'a\n' },
        ]),
      {},
      /^"cat\/labels.csv" is not an image/,
      { file: 'cat/labels.csv' },
    ],
    ['a zip archive', async () => Buffer.from('PK\u0003\u0004rest'), {}, /Zip archives are not accepted/, {}],
    [
      'CSV asked for, a tar sent',
      async () => buildTar([{ path: 'a/1.png', data: 'x' }]),
      { query: { format: 'csv' } },
      /tar archive, not CSV/,
      {},
    ],
  ];
  for (const [what, bytes, options, message, details] of cases) {
    it(what, async () => {
      const error = await upload(await bytes(), options);
      expect(error).toMatchObject({ status: 400, code: 'invalid_dataset', details });
      expect(error.message).toMatch(message);
      await expectNothingKept();
    });
  }

  it('refuses an archive entry that leaves the folder', async () => {
    const error = await upload(buildTar([{ path: '../escape.png', data: 'x' }]));
    expect(error).toMatchObject({ status: 422, code: 'unsafe_artifact_path' });
    await expectNothingKept();
  });

  it('accepts one class: the trainer, not the upload, asks for two', async () => {
    const res = await uploadDataset(t, buildTar([{ path: 'only/1.png', data: await png }]));
    expect(res.status).toBe(201);
    const dataset = (await res.json()) as { id: string; summary: unknown };
    expect(dataset.summary).toEqual({ kind: 'images', images: 1, classes: 1 });
    await t.fetch(`/api/v1/datasets/${dataset.id}`, { method: 'DELETE' });
  });
});

describe('limits answer 413 dataset_too_large, naming the limit', () => {
  it('refuses a body past datasets.maxBytes before reading it, and while reading one of unknown length', async () => {
    const csv = toCsv(carsRows()).repeat(10);
    expect(Buffer.byteLength(csv)).toBeGreaterThan(MAX_BYTES);
    const announced = await upload(csv, { contentType: 'text/csv' });
    expect(announced).toMatchObject({
      status: 413,
      code: 'dataset_too_large',
      details: { limit: 'maxBytes' },
    });
    expect(announced.message).toMatch(/exceeds 200000 bytes \(limit: datasets.maxBytes\)/);

    const bytes = Buffer.from(csv);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 16_384) controller.enqueue(bytes.subarray(at, at + 16_384));
        controller.close();
      },
    });
    const chunked = await t.fetch('/api/v1/datasets?name=big', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(await errorOf(chunked)).toMatchObject({ status: 413, code: 'dataset_too_large' });
    await expectNothingKept();
  });

  it('refuses rows past datasets.maxRows and columns past datasets.maxColumns', async () => {
    const rows = await upload(toJsonl(carsRows()));
    expect(rows).toMatchObject({ status: 413, code: 'dataset_too_large', details: { limit: 'maxRows' } });
    expect(rows.message).toMatch(/more than 300 rows/);
    const wide = `${Array.from({ length: 51 }, (_, i) => `c${i}`).join(',')}\n${'1,'.repeat(50)}1\n`;
    expect(await upload(wide)).toMatchObject({ status: 413, details: { limit: 'maxColumns' } });
    await expectNothingKept();
  });

  it('refuses images past datasets.maxImages and datasets.maxImagePixels', async () => {
    const many = await upload(await mnistTar({ perClass: () => 5 }));
    expect(many).toMatchObject({ status: 413, code: 'dataset_too_large', details: { limit: 'maxImages' } });
    const { default: sharp } = await import('sharp');
    const big = await sharp({ create: { width: 65, height: 64, channels: 3, background: '#123' } })
      .png()
      .toBuffer();
    const huge = await upload(
      buildTar([
        { path: 'a/1.png', data: await mnistPng(1, 0) },
        { path: 'b/big.png', data: big },
      ]),
    );
    expect(huge).toMatchObject({ status: 413, details: { limit: 'maxImagePixels' } });
    expect(huge.message).toMatch(/^"b\/big.png" has 65×64 pixels/);
    await expectNothingKept();
  });
});

describe('the request itself', () => {
  it('needs a valid name, a known format and no unknown query parameter', async () => {
    const cases: Record<string, string>[] = [
      { name: '' },
      { name: 'Bad Name' },
      { format: 'xlsx' },
      { extra: '1' },
    ];
    for (const query of cases) {
      expect(await upload('a\n1\n', { query })).toMatchObject({ status: 400, code: 'validation_failed' });
    }
    const noName = await t.fetch('/api/v1/datasets', {
      method: 'POST',
      body: 'a\n1\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(await errorOf(noName)).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('wants the multipart file in the `file` field', async () => {
    const form = new FormData();
    form.append('data', new Blob(['a\n1\n']), 'a.csv');
    const res = await t.fetch('/api/v1/datasets?name=form', { method: 'POST', body: form });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('is described in the OpenAPI document with its query and answer schemas', async () => {
    const doc = (await (await t.fetch('/docs/json', { key: null })).json()) as {
      paths: Record<
        string,
        Record<string, { parameters?: { name: string }[]; responses: Record<string, unknown> }>
      >;
    };
    const post = doc.paths['/api/v1/datasets']?.post;
    expect(post?.parameters?.map((p) => p.name).sort()).toEqual(['format', 'name']);
    expect(JSON.stringify(post?.responses['201'])).toContain('encodings');
    expect(Object.keys(doc.paths['/api/v1/datasets/{id}'] ?? {}).sort()).toEqual(['delete', 'get']);
  });

  it('answers 404 for an unknown id', async () => {
    for (const id of ['ds_unknown', 'x'.repeat(300)]) {
      expect(await errorOf(await t.fetch(`/api/v1/datasets/${id}`))).toMatchObject({
        status: 404,
        code: 'dataset_not_found',
      });
    }
  });
});
