import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Dataset, DatasetColumn, DatasetListItem, InferredImageSchema } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/index.js';
import { readCsvFrame } from '../src/formats/index.js';
import { createDataset, errorOf, uploadDataset } from './support/dataset-api.js';
import {
  carsRows,
  IRIS_COLUMNS,
  irisRows,
  mnistTar,
  penguinsRows,
  type Row,
  toCsv,
  toJsonl,
} from './support/dataset-files.js';
import { createFolderArtifactStore, type FolderArtifactStore } from './support/folder-artifact-store.js';
import { createPostgresDatabase } from './support/postgres.js';
import { createProject, projectKey } from './support/tenants.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const pgDb = await createPostgresDatabase();
if (!pgDb) console.log('skipped: datasets API on PostgreSQL (no PostgreSQL on 127.0.0.1:5432)');

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function columnOf(dataset: Dataset, name: string): DatasetColumn {
  if (dataset.schema.kind !== 'table') throw new Error('not a table');
  const found = dataset.schema.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
}

function imagesOf(dataset: Dataset): InferredImageSchema {
  if (dataset.schema.kind !== 'images') throw new Error('not images');
  return dataset.schema;
}

/** Statistics computed here from the source rows, to compare with the server's. */
function numbersOf(rows: Row[], key: string) {
  const present = rows.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
  const mean = present.reduce((a, b) => a + b, 0) / present.length;
  return {
    missing: rows.length - present.length,
    min: Math.min(...present),
    max: Math.max(...present),
    mean,
  };
}

function countsOf(rows: Row[], key: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows)
    if (r[key] !== null) counts.set(String(r[key]), (counts.get(String(r[key])) ?? 0) + 1);
  return counts;
}

describe.each([
  { store: 'sqlite', databaseUrl: undefined, skip: false },
  { store: 'postgres', databaseUrl: pgDb?.url, skip: pgDb === null },
])('datasets API on $store', ({ databaseUrl, skip }) => {
  let t: TestServer;
  beforeAll(async () => {
    if (!skip) t = await startTestServer(databaseUrl ? { databaseUrl } : {});
  });
  afterAll(async () => {
    if (!skip) await t.close();
    if (databaseUrl) await pgDb?.drop();
  });

  const blobPath = (digest: string) =>
    path.join(t.dataDir, 'artifacts', 'sha256', digest.slice(0, 2), digest);

  it.skipIf(skip)(
    'infers the schema of the cars CSV: types, missing counts, statistics, classes, preview',
    async () => {
      const rows = carsRows();
      const csv = toCsv(rows);
      const dataset = await createDataset(t, csv, { query: { name: 'cars' }, contentType: 'text/csv' });
      expect(dataset).toMatchObject({
        name: 'cars',
        format: 'csv',
        sha256: sha256(csv),
        sizeBytes: Buffer.byteLength(csv),
        summary: { kind: 'table', rows: 406, columns: 9 },
      });
      expect(dataset.id).toMatch(/^ds_/);
      if (dataset.schema.kind !== 'table') throw new Error('not a table');
      expect(dataset.schema.rows).toBe(406);
      const mpg = numbersOf(rows, 'Miles_per_Gallon');
      expect(columnOf(dataset, 'Miles_per_Gallon')).toEqual({
        name: 'Miles_per_Gallon',
        type: 'number',
        missing: 8,
        min: mpg.min,
        max: mpg.max,
        mean: expect.closeTo(mpg.mean, 9),
      });
      expect(columnOf(dataset, 'Horsepower')).toMatchObject({ type: 'number', missing: 6 });
      const missing = dataset.schema.columns.reduce((sum, c) => sum + c.missing, 0);
      expect(missing).toBe(14);
      const origins = countsOf(rows, 'Origin');
      expect(columnOf(dataset, 'Origin')).toEqual({
        name: 'Origin',
        type: 'string',
        missing: 0,
        distinct: 3,
        top: [...origins].sort((a, b) => b[1] - a[1]).map(([value, count]) => ({ value, count })),
      });
      expect(columnOf(dataset, 'Name')).toMatchObject({
        type: 'string',
        distinct: countsOf(rows, 'Name').size,
      });
      expect(dataset.schema.preview).toHaveLength(10);
      expect(dataset.schema.preview[0]).toEqual([
        'chevrolet chevelle malibu',
        18,
        8,
        307,
        130,
        3504,
        12,
        '1970-01-01',
        'USA',
      ]);

      expect(await (await t.fetch(`/api/v1/datasets/${dataset.id}`)).json()).toEqual(dataset);
      const list = (await (await t.fetch('/api/v1/datasets')).json()) as { data: DatasetListItem[] };
      const { schema: _schema, ...listed } = dataset;
      expect(list.data).toContainEqual(listed);
      expect(existsSync(blobPath(dataset.sha256))).toBe(true);
    },
  );

  it.skipIf(skip)('reads the same cars as JSON Lines, raw or multipart, to the same columns', async () => {
    const rows = carsRows();
    const csv = await createDataset(t, toCsv(rows), { query: { name: 'cars-csv' } });
    const raw = await createDataset(t, toJsonl(rows), {
      query: { name: 'cars-jsonl' },
      contentType: 'application/x-ndjson',
    });
    const form = await createDataset(t, toJsonl(rows), {
      query: { name: 'cars-form' },
      multipartName: 'cars.jsonl',
    });
    for (const jsonl of [raw, form]) {
      expect(jsonl.format).toBe('jsonl');
      expect(jsonl.schema).toEqual(csv.schema);
    }
    expect(form.sha256).toBe(raw.sha256);
  });

  it.skipIf(skip)('counts the penguin species and the missing and odd values of Sex', async () => {
    const rows = penguinsRows();
    const dataset = await createDataset(t, toJsonl(rows), { query: { name: 'penguins' } });
    expect(dataset.summary).toEqual({ kind: 'table', rows: 344, columns: 7 });
    expect(columnOf(dataset, 'Species')).toEqual({
      name: 'Species',
      type: 'string',
      missing: 0,
      distinct: 3,
      top: [
        { value: 'Adelie', count: 152 },
        { value: 'Gentoo', count: 124 },
        { value: 'Chinstrap', count: 68 },
      ],
    });
    expect(columnOf(dataset, 'Sex')).toEqual({
      name: 'Sex',
      type: 'string',
      missing: 10,
      distinct: 3,
      top: [
        { value: 'MALE', count: 168 },
        { value: 'FEMALE', count: 165 },
        { value: '.', count: 1 },
      ],
    });
    expect(columnOf(dataset, 'Body Mass (g)')).toMatchObject({ type: 'number', missing: 2 });
  });

  it.skipIf(skip)('reads iris from a multipart form, 50 flowers of each species', async () => {
    const dataset = await createDataset(t, toCsv(irisRows(), IRIS_COLUMNS), {
      query: { name: 'iris' },
      multipartName: 'iris.csv',
    });
    expect(dataset.format).toBe('csv');
    expect(columnOf(dataset, 'species')).toMatchObject({
      distinct: 3,
      top: [
        { value: 'setosa', count: 50 },
        { value: 'versicolor', count: 50 },
        { value: 'virginica', count: 50 },
      ],
    });
    expect(columnOf(dataset, 'sepal_length')).toMatchObject({
      type: 'number',
      missing: 0,
      min: 4.3,
      max: 7.9,
    });
  });

  it.skipIf(skip)(
    'stores an image folder of mnist digits from a tar, and from a .tar.gz with a top folder',
    async () => {
      const perClass = (d: number) => 20 + d * 2;
      const tar = await mnistTar({ perClass });
      const dataset = await createDataset(t, tar, {
        query: { name: 'digits' },
        contentType: 'application/x-tar',
      });
      expect(dataset.format).toBe('images');
      expect(dataset.summary).toEqual({ kind: 'images', images: 290, classes: 10 });
      expect(imagesOf(dataset)).toEqual({
        kind: 'images',
        images: 290,
        classes: Array.from({ length: 10 }, (_, d) => ({ name: String(d), count: perClass(d) })),
        width: { min: 28, max: 28 },
        height: { min: 28, max: 28 },
        channels: [1],
        encodings: ['png'],
      });
      const tgz = await mnistTar({ perClass, wrapper: 'mydata', gzip: true });
      const wrapped = await createDataset(t, tgz, {
        query: { name: 'digits-tgz' },
        multipartName: 'mydata.tgz',
      });
      expect(wrapped.schema).toEqual(dataset.schema);
      expect(existsSync(`${blobPath(wrapped.sha256)}.d`)).toBe(true);
    },
  );

  it.skipIf(skip)('gives training the frame: the table as uploaded, images with their class', async () => {
    const { datasets } = t.server.platform;
    const cars = await createDataset(t, toCsv(carsRows()), { query: { name: 'frame-cars' } });
    const principal: Principal = {
      keyId: 'test',
      projectId: cars.project,
      organizationId: 'test',
      scopes: ['manage'],
      models: null,
      limits: null,
    };
    const local = await datasets.localPath(principal, cars.id);
    expect(local).toEqual({ format: 'csv', path: blobPath(cars.sha256) });
    expect(await datasets.localFrame(principal, cars.id)).toEqual(await readCsvFrame(local.path));

    const digits = await createDataset(t, await mnistTar({ perClass: () => 3, wrapper: 'top', gzip: true }), {
      query: { name: 'frame-digits' },
    });
    const frame = await datasets.localFrame(principal, digits.id);
    if (frame.kind !== 'images') throw new Error('not images');
    expect(frame.classes).toHaveLength(10);
    expect(frame.items).toHaveLength(30);
    expect(frame.items[4]).toEqual({
      className: '1',
      path: path.join(`${blobPath(digits.sha256)}.d`, '1', '1.png'),
    });
    for (const item of frame.items) expect(existsSync(item.path)).toBe(true);

    const stranger = { ...principal, projectId: 'prj_someone_else' };
    await expect(datasets.localFrame(stranger, cars.id)).rejects.toMatchObject({ code: 'dataset_not_found' });
  });

  it.skipIf(skip)('stores the same bytes once, and removes them with the last dataset', async () => {
    const csv = toCsv(irisRows().slice(0, 20), IRIS_COLUMNS);
    const first = await createDataset(t, csv, { query: { name: 'twice' } });
    const second = await createDataset(t, csv, { query: { name: 'twice' } });
    expect(second.id).not.toBe(first.id);
    expect(second.sha256).toBe(first.sha256);
    expect((await t.fetch(`/api/v1/datasets/${first.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.fetch(`/api/v1/datasets/${first.id}`)).status).toBe(404);
    expect(existsSync(blobPath(first.sha256))).toBe(true);
    expect((await t.fetch(`/api/v1/datasets/${second.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(existsSync(blobPath(first.sha256))).toBe(false);
    const again = await errorOf(await t.fetch(`/api/v1/datasets/${second.id}`, { method: 'DELETE' }));
    expect(again).toMatchObject({ status: 404, code: 'dataset_not_found' });
  });

  it.skipIf(skip)("keeps a project's datasets from every other project's keys", async () => {
    const mine = await createDataset(t, toCsv(irisRows(), IRIS_COLUMNS), { query: { name: 'mine' } });
    const project = await createProject(t, `other-${Math.random().toString(36).slice(2, 8)}`);
    const { key } = await projectKey(t, project.id, ['admin']);
    for (const method of ['GET', 'DELETE']) {
      const res = await t.fetch(`/api/v1/datasets/${mine.id}`, { method, key });
      expect(await errorOf(res)).toMatchObject({ status: 404, code: 'dataset_not_found' });
    }
    const theirs = await createDataset(t, 'a,b\n1,2\n', { query: { name: 'theirs' }, key });
    expect(theirs.project).toBe(project.id);
    const listed = (await (await t.fetch('/api/v1/datasets', { key })).json()) as { data: DatasetListItem[] };
    expect(listed.data.map((d) => d.id)).toEqual([theirs.id]);
    expect((await t.fetch(`/api/v1/datasets/${mine.id}`)).status).toBe(200);
  });

  it.skipIf(skip)(
    'lets infer keys read and only manage keys write; records uploads and deletes in the audit log',
    async () => {
      const { key: reader } = await projectKey(t, (await createDataset(t, 'x\n1\n')).project, ['infer']);
      expect((await t.fetch('/api/v1/datasets', { key: reader })).status).toBe(200);
      const refused = await uploadDataset(t, 'x\n1\n', { key: reader });
      expect(await errorOf(refused)).toMatchObject({ status: 403, code: 'insufficient_scope' });

      const dataset = await createDataset(t, 'y\n2\n', { query: { name: 'audited' } });
      await t.fetch(`/api/v1/datasets/${dataset.id}`, { method: 'DELETE' });
      const page = (await (await t.fetch('/api/v1/audit?limit=200')).json()) as {
        data: { action: string; target: string; detail: Record<string, unknown> }[];
      };
      const entries = page.data.filter((e) => e.target === dataset.id);
      expect(entries.map((e) => e.action)).toEqual(['dataset.delete', 'dataset.create']);
      expect(entries[1]?.detail).toMatchObject({ name: 'audited', format: 'csv', sha256: dataset.sha256 });
    },
  );
});

describe('datasets in a store that fetches into a local cache, as a remote one does', () => {
  let t: TestServer;
  let store: FolderArtifactStore;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-datasets-store-'));
    store = createFolderArtifactStore({
      remoteDir: path.join(dir, 'remote'),
      cacheDir: path.join(dir, 'cache'),
    });
    t = await startTestServer({ artifacts: store });
  });
  afterAll(async () => {
    await t?.close();
    if (store) await rm(path.dirname(store.cacheDir), { recursive: true, force: true });
  });

  it('unpacks an image dataset again from its archive, once, and reads it as training does', async () => {
    const digits = await createDataset(t, await mnistTar({ perClass: () => 2, wrapper: 'top', gzip: true }), {
      query: { name: 'remote-digits' },
    });
    const principal: Principal = {
      keyId: 'test',
      projectId: digits.project,
      organizationId: 'test',
      scopes: ['manage'],
      models: null,
      limits: null,
    };
    const frame = await t.server.platform.datasets.localFrame(principal, digits.id);
    if (frame.kind !== 'images') throw new Error('not images');
    expect(frame.items).toHaveLength(20);
    expect(frame.items[0]).toEqual({
      className: '0',
      path: path.join(store.cacheDir, `${digits.sha256}.d`, '0', '0.png'),
    });
    await t.server.platform.datasets.localFrame(principal, digits.id);
    expect(store.downloads.get(digits.sha256)).toBe(1);
  });
});
