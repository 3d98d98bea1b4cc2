import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, UnprocessableEntityError } from '../src/index.js';
import { caught } from './support/caught.js';
import { type SdkHarness, startHarness, uniqueName } from './support/server.js';
import { tinyOnnx, writeTinyOnnx } from './support/tiny-onnx.js';

let h: SdkHarness;
let dir: string;
beforeAll(async () => {
  h = await startHarness();
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-sdk-'));
});
afterAll(async () => {
  await h?.server.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function newModel(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await h.admin.models.create({ name });
  return name;
}

describe('versions.upload', () => {
  it('streams an ONNX file from disk and reports progress up to the total', async () => {
    const name = await newModel('upload');
    const file = await writeTinyOnnx(dir, 'identity.onnx');
    const bytes = await readFile(file);
    const calls: Array<[number, number | undefined]> = [];
    const version = await h.admin.versions.upload(name, file, { onProgress: (s, t) => calls.push([s, t]) });

    expect(version).toMatchObject({
      model: name,
      version: 1,
      format: 'onnx',
      sizeBytes: bytes.length,
      config: {},
    });
    expect(version.sha256).toBe(sha256(bytes));
    expect(version.metadata.onnx?.inputs).toEqual([{ name: 'x', datatype: 'FP32', shape: [-1, 4] }]);
    expect(version.metadata.onnx?.outputs).toEqual([{ name: 'y', datatype: 'FP32', shape: [-1, 4] }]);
    expect(calls.at(-1)).toEqual([bytes.length, bytes.length]);
  });

  it('reports progress chunk by chunk for a multi-megabyte file', async () => {
    const name = await newModel('big');
    const file = await writeTinyOnnx(dir, 'padded.onnx', { padBytes: 3 * 1024 * 1024 });
    const size = (await readFile(file)).length;
    const sent: number[] = [];
    const version = await h.admin.versions.upload(name, file, { onProgress: (s) => sent.push(s) });
    expect(version.sizeBytes).toBe(size);
    expect(sent.length).toBeGreaterThan(10);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(sent.at(-1)).toBe(size);
  });

  it('the same bytes twice make two versions with the same sha256', async () => {
    const name = await newModel('twice');
    const bytes = tinyOnnx({ tag: 'twice' });
    const first = await h.admin.versions.upload(name, bytes);
    const second = await h.admin.versions.upload(name, Readable.from([Buffer.from(bytes)]), {
      size: bytes.length,
    });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.sha256).toBe(first.sha256);
    expect((await h.admin.models.get(name)).latestVersion).toBe(2);
  });

  it('accepts a web stream of unknown size', async () => {
    const name = await newModel('web');
    const bytes = tinyOnnx({ tag: 'web' });
    const totals: Array<number | undefined> = [];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 10));
        controller.enqueue(bytes.subarray(10));
        controller.close();
      },
    });
    const version = await h.admin.versions.upload(name, stream, { onProgress: (_s, t) => totals.push(t) });
    expect(version.sha256).toBe(sha256(bytes));
    expect(totals.every((t) => t === undefined)).toBe(true);
  });

  it('stores the config, in a header or (when large) a multipart field', async () => {
    const name = await newModel('config');
    const small = { labels: ['chat', 'chien', 'éléphant'], outputKind: 'logits' };
    const v1 = await h.admin.versions.upload(name, tinyOnnx(), { config: small });
    expect(v1.config).toEqual(small);

    const large = { labels: Array.from({ length: 2000 }, (_, i) => `étiquette ${i} 猫`) };
    const file = await writeTinyOnnx(dir, 'config.onnx', { tag: 'config' });
    let last = 0;
    const v2 = await h.admin.versions.upload(name, file, {
      config: large,
      onProgress: (s) => {
        last = s;
      },
    });
    expect(v2.config).toEqual(large);
    expect(v2.sha256).toBe(sha256(await readFile(file)));
    expect(last).toBe(v2.sizeBytes);
  });

  it('rejects bytes that are no model format, and empty uploads', async () => {
    const name = await newModel('junk');
    const junk = await caught(h.admin.versions.upload(name, Buffer.from('definitely not a model')));
    expect(junk).toBeInstanceOf(UnprocessableEntityError);
    expect(junk).toMatchObject({ status: 422, code: 'unsupported_artifact_format' });

    const empty = await caught(h.admin.versions.upload(name, new Uint8Array(0)));
    expect(empty).toBeInstanceOf(BadRequestError);
    expect(empty).toMatchObject({ code: 'empty_artifact' });
  });

  it('a push to a missing model is model_not_found, even mid-stream of a large body', async () => {
    const file = await writeTinyOnnx(dir, 'orphan.onnx', { padBytes: 2 * 1024 * 1024 });
    const err = await caught(h.admin.versions.upload(uniqueName('missing'), file));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ code: 'model_not_found' });
  });

  it('fails locally for a path that is not a file', async () => {
    await expect(h.admin.versions.upload('any', path.join(dir, 'nope.onnx'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('versions and aliases', () => {
  it('lists, gets by number or alias, changes config and downloads', async () => {
    const name = await newModel('manage');
    const bytes = tinyOnnx({ tag: 'manage' });
    await h.admin.versions.upload(name, bytes);
    await h.admin.versions.upload(name, tinyOnnx({ tag: 'manage-2' }));

    expect((await h.admin.versions.list(name)).map((v) => v.version)).toEqual([1, 2]);
    expect(await h.admin.aliases.set(name, 'production', 1)).toEqual({
      model: name,
      alias: 'production',
      version: 1,
    });
    const byAlias = await h.admin.versions.get(name, 'production');
    expect(byAlias).toMatchObject({ version: 1, aliases: ['production'] });
    expect((await h.admin.models.get(name)).aliases).toEqual({ production: 1 });

    const patched = await h.admin.versions.setConfig(name, 1, { threshold: 0.5 });
    expect(patched.config).toEqual({ threshold: 0.5 });
    expect((await h.admin.versions.get(name, 1)).config).toEqual({ threshold: 0.5 });

    const dest = path.join(dir, `${name}.onnx`);
    const saved = await h.admin.versions.download(name, 'production', dest);
    expect(saved).toEqual({ path: dest, sizeBytes: bytes.length, sha256: sha256(bytes) });
    expect((await readFile(dest)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('deletes an alias; a missing alias or version is a NotFoundError', async () => {
    const name = await newModel('unalias');
    await h.admin.versions.upload(name, tinyOnnx());
    await h.admin.aliases.set(name, 'staging', 1);
    await h.admin.aliases.delete(name, 'staging');

    const alias = await caught(h.admin.versions.get(name, 'staging'));
    expect(alias).toMatchObject({ code: 'alias_not_found', status: 404 });
    const version = await caught(h.admin.versions.get(name, 9));
    expect(version).toBeInstanceOf(NotFoundError);
    expect(version).toMatchObject({ code: 'version_not_found' });
    const download = await caught(h.admin.versions.download(name, 9, path.join(dir, 'never.onnx')));
    expect(download).toMatchObject({ code: 'version_not_found' });
  });
});
