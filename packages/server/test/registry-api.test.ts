import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel, folderModelTar } from './support/artifacts.js';
import { createPostgresDatabase } from './support/postgres.js';
import { sharedModel } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

interface Version {
  version: number;
  sha256: string;
  format: string;
  sizeBytes: number;
  config: Record<string, unknown>;
  aliases: string[];
  metadata: Record<string, Record<string, unknown>>;
}

const pgDb = await createPostgresDatabase();
if (!pgDb) console.log('skipped: registry API on PostgreSQL (no PostgreSQL on 127.0.0.1:5432)');

describe.each([
  { store: 'sqlite', databaseUrl: undefined, skip: false },
  { store: 'postgres', databaseUrl: pgDb?.url, skip: pgDb === null },
])('registry API on $store', ({ databaseUrl, skip }) => {
  let t: TestServer;
  beforeAll(async () => {
    if (!skip) t = await startTestServer(databaseUrl ? { databaseUrl } : {});
  });
  afterAll(async () => {
    if (!skip) await t.close();
    if (databaseUrl) await pgDb?.drop();
  });

  const upload = (name: string, body: Uint8Array, headers: Record<string, string> = {}) =>
    t.fetch(`/api/v1/models/${name}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...headers },
      body,
    });

  it.skipIf(skip)('creates, lists, shows and deletes models', async () => {
    const created = await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'adder', task: 'tensor', description: 'adds one' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'adder', task: 'tensor', latestVersion: null });
    const again = await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'adder' }),
    });
    expect(again.status).toBe(409);
    const list = (await (await t.fetch('/api/v1/models')).json()) as { data: { name: string }[] };
    expect(list.data.map((m) => m.name)).toContain('adder');
    await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'gone' }),
    });
    expect((await t.fetch('/api/v1/models/gone', { method: 'DELETE' })).status).toBe(204);
    expect((await t.fetch('/api/v1/models/gone')).status).toBe(404);
  });

  it.skipIf(skip)('stores versions immutably, numbered, content-addressed, with ONNX metadata', async () => {
    const bytes = addModel(1);
    const first = await upload('adder', bytes, { 'modelport-config': JSON.stringify({ labels: ['a'] }) });
    expect(first.status).toBe(201);
    const v1 = (await first.json()) as Version;
    expect(v1).toMatchObject({
      version: 1,
      format: 'onnx',
      sizeBytes: bytes.length,
      config: { labels: ['a'] },
    });
    expect(v1.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v1.metadata.onnx?.inputs).toEqual([{ name: 'x', datatype: 'FP32', shape: [-1, 4] }]);
    const v2 = (await (await upload('adder', bytes)).json()) as Version;
    expect(v2.version).toBe(2);
    expect(v2.sha256).toBe(v1.sha256);
    const blobs = await readdir(path.join(t.dataDir, 'artifacts', 'sha256', v1.sha256.slice(0, 2)));
    expect(blobs).toEqual([v1.sha256]);
    const download = await t.fetch('/api/v1/models/adder/versions/1/artifact');
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    const model = (await (await t.fetch('/api/v1/models/adder')).json()) as { latestVersion: number };
    expect(model.latestVersion).toBe(2);
  });

  it.skipIf(skip)('gives concurrent uploads distinct numbers', async () => {
    await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'busy' }),
    });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => upload('busy', addModel(i + 10))));
    const versions = await Promise.all(results.map(async (r) => ((await r.json()) as Version).version));
    expect(versions.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it.skipIf(skip)('points aliases at versions and resolves them in paths', async () => {
    const set = await t.fetch('/api/v1/models/adder/aliases/production', {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ version: 1 }),
    });
    expect(await set.json()).toEqual({ model: 'adder', alias: 'production', version: 1 });
    const viaAlias = (await (await t.fetch('/api/v1/models/adder/versions/production')).json()) as Version;
    expect(viaAlias.version).toBe(1);
    expect(viaAlias.aliases).toEqual(['production']);
    const model = (await (await t.fetch('/api/v1/models/adder')).json()) as {
      aliases: Record<string, number>;
    };
    expect(model.aliases).toEqual({ production: 1 });
    const missing = await t.fetch('/api/v1/models/adder/aliases/x', {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ version: 99 }),
    });
    expect(missing.status).toBe(404);
    expect((await t.fetch('/api/v1/models/adder/aliases/production', { method: 'DELETE' })).status).toBe(204);
    expect((await t.fetch('/api/v1/models/adder/versions/production')).status).toBe(404);
  });

  it.skipIf(skip)('changes config with PATCH but never the bytes', async () => {
    const res = await t.fetch('/api/v1/models/adder/versions/1', {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ config: { labels: ['b'], topK: 3 } }),
    });
    const v = (await res.json()) as Version;
    expect(v.config).toEqual({ labels: ['b'], topK: 3 });
    const again = (await (await t.fetch('/api/v1/models/adder/versions/1')).json()) as Version;
    expect(again.config).toEqual({ labels: ['b'], topK: 3 });
  });

  it.skipIf(skip)('accepts multipart uploads and tar folder models', async () => {
    await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'folder', task: 'text-classification' }),
    });
    const form = new FormData();
    form.append('config', JSON.stringify({ pooling: 'mean' }));
    form.append('file', new Blob([await folderModelTar()]), 'model.tar');
    const res = await t.fetch('/api/v1/models/folder/versions', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const v = (await res.json()) as Version;
    expect(v.format).toBe('folder');
    expect(v.config).toEqual({ pooling: 'mean' });
    expect(v.metadata.folder?.modelType).toBe('bert');
    expect(JSON.stringify(v.metadata.folder?.files)).toContain('onnx/model.onnx');
  });

  it.skipIf(skip)('reads GGUF metadata of a real model', async (ctx) => {
    const file = sharedModel('stories260k/stories260K.gguf', ctx);
    const { readFile } = await import('node:fs/promises');
    await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'stories', task: 'text-generation' }),
    });
    const res = await upload('stories', await readFile(file));
    expect(res.status).toBe(201);
    const v = (await res.json()) as Version;
    expect(v.format).toBe('gguf');
    expect(v.metadata.gguf).toMatchObject({
      architecture: 'llama',
      contextLength: 2048,
      hasChatTemplate: false,
    });
  });
});
