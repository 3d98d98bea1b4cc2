import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactCache } from '../src/registry/index.js';
import { openReadStream } from '../src/registry/open-read-stream.js';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { writeModelWithBigInitializer } from './support/onnx-builder.js';
import { type S3TestServer, startS3Server } from './support/s3-server.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const made: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `mp-${prefix}-`));
  made.push(dir);
  return dir;
}

async function infer(t: TestServer, model: string): Promise<{ status: number; y?: number[] }> {
  const res = await t.fetch(`/v2/models/${model}/infer`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
  });
  const body = (await res.json()) as { outputs?: { data: number[] }[] };
  return { status: res.status, ...(body.outputs?.[0] ? { y: body.outputs[0].data } : {}) };
}

const upload = (t: TestServer, model: string, bytes: Uint8Array) =>
  t.fetch(`/api/v1/models/${model}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  });

async function keys(s3: S3TestServer, bucket: string): Promise<string[]> {
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
}

describe('artifacts in an S3-compatible bucket (s3rver)', () => {
  let s3: S3TestServer;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3?.close();
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  it('uploads in parts under the prefix, serves from the local cache, and keeps serving while the bucket is away', async () => {
    await s3.createBucket('models-a');
    const t = await startTestServer({ env: s3.env('models-a', 'mp/') });
    try {
      const big = path.join(await tempDir('big'), 'big.onnx');
      await writeModelWithBigInitializer(big, 20 * 1024 * 1024);
      const bigBytes = await readFile(big);
      await t.fetch('/api/v1/models', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'big' }),
      });
      expect((await upload(t, 'big', bigBytes)).status).toBe(201);
      const bigKey = `mp/sha256/${sha256Of(bigBytes).slice(0, 2)}/${sha256Of(bigBytes)}`;
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'models-a', Key: bigKey }));
      expect(head.ContentLength).toBe(bigBytes.length);

      const bytes = addModel(3);
      await deployModel(t, { name: 'add', bytes }, { threads: 1 });
      expect(await infer(t, 'add')).toEqual({ status: 200, y: [3, 3, 3, 3] });
      expect(await keys(s3, 'models-a')).toContain(
        `mp/sha256/${sha256Of(bytes).slice(0, 2)}/${sha256Of(bytes)}`,
      );
      // Runners load from the cache; nothing is written to the data folder's artifacts.
      expect(existsSync(path.join(t.dataDir, 'artifact-cache', sha256Of(bytes)))).toBe(true);
      expect(existsSync(path.join(t.dataDir, 'artifacts'))).toBe(false);
      const download = await t.fetch('/api/v1/models/add/versions/1/artifact');
      expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);

      await s3.stop();
      const refused = await upload(t, 'add', addModel(4));
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
        'artifact_store_unavailable',
      );
      expect(await infer(t, 'add')).toEqual({ status: 200, y: [3, 3, 3, 3] });
      // A second deployment of the cached version starts without the bucket.
      const again = await t.fetch('/api/v1/deployments', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ model: 'add', name: 'add-2', threads: 1 }),
      });
      expect(again.status).toBe(201);
      expect(await infer(t, 'add-2')).toEqual({ status: 200, y: [3, 3, 3, 3] });
      // Nothing half-registered by the refused upload.
      const versions = (await (await t.fetch('/api/v1/models/add/versions')).json()) as { data: unknown[] };
      expect(versions.data).toHaveLength(1);

      await s3.start();
      expect((await upload(t, 'add', addModel(4))).status).toBe(201);
    } finally {
      await s3.start();
      await t.close();
    }
  }, 120_000);

  it('keeps what the data folder holds readable after the switch to a bucket', async () => {
    await s3.createBucket('models-b');
    const first = await startTestServer();
    const bytes = addModel(6);
    await deployModel(first, { name: 'old', bytes }, { threads: 1 });
    await first.server.close();
    const t = await startTestServer({
      dataDir: first.dataDir,
      adminKey: first.adminKey,
      env: s3.env('models-b'),
    });
    try {
      expect(await infer(t, 'old')).toEqual({ status: 200, y: [6, 6, 6, 6] });
      await t.fetch('/api/v1/models', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'new' }),
      });
      expect((await upload(t, 'new', addModel(7))).status).toBe(201);
      expect(await keys(s3, 'models-b')).toEqual([
        `models/sha256/${sha256Of(addModel(7)).slice(0, 2)}/${sha256Of(addModel(7))}`,
      ]);
      const download = await t.fetch('/api/v1/models/old/versions/1/artifact');
      expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('refuses bytes in the bucket that do not match their digest', async () => {
    await s3.createBucket('models-c');
    const bytes = addModel(8);
    const key = `models/sha256/${sha256Of(bytes).slice(0, 2)}/${sha256Of(bytes)}`;
    const first = await startTestServer({ env: s3.env('models-c') });
    await first.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'm' }),
    });
    expect((await upload(first, 'm', bytes)).status).toBe(201);
    await first.server.close();
    await s3.client.send(
      new PutObjectCommand({ Bucket: 'models-c', Key: key, Body: Buffer.from(addModel(9)) }),
    );
    // Another machine (an empty cache) must download, and refuses what it got.
    const env = { ...s3.env('models-c'), MODELPORT_ARTIFACT_CACHE_DIR: await tempDir('cache') };
    const t = await startTestServer({ dataDir: first.dataDir, adminKey: first.adminKey, env });
    try {
      const res = await t.fetch('/api/v1/deployments', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ model: 'm', threads: 1 }),
      });
      expect(res.status).toBe(502);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('artifact_unreadable');
      expect(error.message).toMatch(/failed verification: the fetched bytes hash to [0-9a-f]{64}/);
      const object = await s3.client.send(new GetObjectCommand({ Bucket: 'models-c', Key: key }));
      expect(Number(object.ContentLength)).toBe(addModel(9).length);
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('the local cache of a remote store', () => {
  it('evicts the least recently used entries of an earlier run past its bound, never one it handed out', async () => {
    const remote = await tempDir('remote');
    const dir = await tempDir('cache');
    const blobs = [addModel(1), addModel(2), addModel(3)];
    const { writeFile } = await import('node:fs/promises');
    for (const b of blobs) await writeFile(path.join(remote, sha256Of(b)), b);
    const make = (maxBytes: number) =>
      new ArtifactCache({
        dir,
        maxBytes,
        read: (sha256) => openReadStream(path.join(remote, sha256)),
        log: pino({ level: 'silent' }),
      });
    const size = blobs[0]?.length ?? 0;
    const earlier = make(10 * size);
    for (const b of blobs.slice(0, 2)) await earlier.fetch(sha256Of(b), 'file');
    // A new run holding room for two: the oldest entry of the earlier run goes.
    const now = make(2 * size + 1);
    await now.fetch(sha256Of(blobs[1] ?? new Uint8Array()), 'file');
    await now.fetch(sha256Of(blobs[2] ?? new Uint8Array()), 'file');
    expect(existsSync(path.join(dir, sha256Of(blobs[0] ?? new Uint8Array())))).toBe(false);
    expect(now.heldBytes).toBeLessThanOrEqual(2 * size + 1);
    // Both handed out by this run: a third past the bound is kept beside them, nothing evicted.
    await now.fetch(sha256Of(blobs[0] ?? new Uint8Array()), 'file');
    for (const b of blobs) expect(existsSync(path.join(dir, sha256Of(b)))).toBe(true);
  });
});
