import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/index.js';
import { extractModelFolder } from '../src/formats/index.js';
import { type ArtifactKeyring, keyringFrom } from '../src/registry/artifact-keyring.js';
import type { ArtifactStore } from '../src/registry/index.js';
import { createS3ArtifactStore, type S3ArtifactStore } from '../src/registry/index.js';
import { createLocalArtifactStore } from '../src/registry/local-artifact-store.js';
import { addModel, folderModelTar } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { createFolderArtifactStore, type FolderArtifactStore } from './support/folder-artifact-store.js';
import { S3_CREDENTIALS, type S3TestServer, startS3Server } from './support/s3-server.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const made: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `mp-${prefix}-`));
  made.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** An upload as the registry hands it to `commit`: a temporary file, and for a tar its unpacked folder. */
async function staged(bytes: Uint8Array, folder = false) {
  const dir = await tempDir('staged');
  const file = path.join(dir, 'upload');
  await writeFile(file, bytes);
  const extracted = folder ? (await extractModelFolder(file, await tempDir('unpacked'))).root : undefined;
  return { sha256: sha256Of(bytes), file, folder: extracted };
}

async function commit(store: ArtifactStore, bytes: Uint8Array, folder = false): Promise<string> {
  const upload = await staged(bytes, folder);
  return (await store.commit(upload.sha256, upload.file, upload.folder)).uri;
}

async function folderStore(remoteDir?: string): Promise<FolderArtifactStore> {
  return createFolderArtifactStore({
    remoteDir: remoteDir ?? (await tempDir('remote')),
    cacheDir: await tempDir('cache'),
  });
}

let s3: S3TestServer | undefined;
let buckets = 0;
afterAll(async () => {
  await s3?.close();
});

const keyring = keyringFrom(randomBytes(32).toString('base64'), undefined);

async function sealedLocalStore(): Promise<ArtifactStore> {
  return createLocalArtifactStore(await tempDir('sealed'), {
    keyring,
    cacheDir: await tempDir('sealed-cache'),
    cacheMaxBytes: 1024 ** 3,
    log: pino({ level: 'silent' }),
  });
}

/** A store on its own bucket of one s3rver shared by the file's tests. */
async function s3Store(ring?: ArtifactKeyring): Promise<S3ArtifactStore> {
  s3 ??= await startS3Server();
  const bucket = `contract-${++buckets}`;
  await s3.createBucket(bucket);
  return createS3ArtifactStore({
    bucket,
    prefix: 'p/',
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3_CREDENTIALS,
    cacheDir: await tempDir('s3-cache'),
    cacheMaxBytes: 1024 ** 3,
    keyring: ring,
    log: pino({ level: 'silent' }),
  });
}

const implementations: { name: string; create: () => Promise<ArtifactStore>; missing: RegExp }[] = [
  { name: 'local', create: async () => createLocalArtifactStore(await tempDir('local')), missing: /ENOENT/ },
  { name: 'fetch-to-cache (test only)', create: () => folderStore(), missing: /ENOENT/ },
  { name: 's3 (s3rver)', create: () => s3Store(), missing: /artifact not found in the bucket/ },
  { name: 'local, sealed at rest', create: () => sealedLocalStore(), missing: /ENOENT/ },
  {
    name: 's3 (s3rver), sealed at rest',
    create: () => s3Store(keyring),
    missing: /artifact not found in the bucket/,
  },
];

describe.each(implementations)('artifact store contract: $name', ({ create, missing }) => {
  it('stores bytes once under their digest, fetches them to a local path and streams them', async () => {
    const store = await create();
    const bytes = addModel(7);
    const uri = await commit(store, bytes);
    expect(uri).toMatch(new RegExp(`:sha256/${sha256Of(bytes)}$`));
    expect(await commit(store, bytes)).toBe(uri);
    const local = await store.fetchLocal(uri, 'file');
    expect((await readFile(local)).equals(Buffer.from(bytes))).toBe(true);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.open(uri)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
  });

  it('gives a folder model its unpacked folder', async () => {
    const store = await create();
    const uri = await commit(store, await folderModelTar(), true);
    const folder = await store.fetchLocal(uri, 'folder');
    expect(JSON.parse(await readFile(path.join(folder, 'config.json'), 'utf8'))).toMatchObject({
      model_type: 'bert',
    });
    expect(existsSync(path.join(folder, 'onnx', 'model.onnx'))).toBe(true);
  });

  it('removes a blob (twice is fine); opening it then rejects before any byte', async () => {
    const store = await create();
    const uri = await commit(store, addModel(8));
    await store.remove(uri);
    await store.remove(uri);
    await expect(store.open(uri)).rejects.toThrow(missing);
  });

  it("refuses another store's URI", async () => {
    const store = await create();
    await expect(store.fetchLocal(`other:sha256/${'a'.repeat(64)}`, 'file')).rejects.toThrow(/artifact uri/);
  });
});

describe('fetch-to-cache', () => {
  it('downloads on first use into the cache and answers later calls from it', async () => {
    const store = await folderStore();
    const bytes = addModel(9);
    const uri = await commit(store, bytes);
    expect(store.downloads.size).toBe(0);
    const first = await store.fetchLocal(uri, 'file');
    expect(await store.fetchLocal(uri, 'file')).toBe(first);
    expect(store.downloads.get(sha256Of(bytes))).toBe(1);
  });

  it('shares one download between concurrent fetches of the same digest', async () => {
    const store = await folderStore();
    const bytes = addModel(10);
    const uri = await commit(store, bytes);
    const paths = await Promise.all(Array.from({ length: 5 }, () => store.fetchLocal(uri, 'file')));
    expect(new Set(paths).size).toBe(1);
    expect(store.downloads.get(sha256Of(bytes))).toBe(1);
  });

  it('refuses a blob whose bytes do not match its digest and keeps nothing of it', async () => {
    const store = await folderStore();
    const bytes = addModel(11);
    const sha256 = sha256Of(bytes);
    const uri = await commit(store, bytes);
    await writeFile(store.remotePath(sha256), addModel(12));
    await expect(store.fetchLocal(uri, 'file')).rejects.toThrow(
      new RegExp(`artifact sha256/${sha256} failed verification: the fetched bytes hash to [0-9a-f]{64}`),
    );
    expect(await readdir(store.cacheDir)).toEqual([]);
    // The failure is not remembered: once the bucket holds the right bytes again, the fetch succeeds.
    await writeFile(store.remotePath(sha256), bytes);
    expect((await readFile(await store.fetchLocal(uri, 'file'))).equals(Buffer.from(bytes))).toBe(true);
    expect(store.downloads.get(sha256)).toBe(2);
  });
});

const json = { 'content-type': 'application/json' };

async function infer(t: TestServer, model: string): Promise<number[] | undefined> {
  const res = await t.fetch(`/v2/models/${model}/infer`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data;
}

function admin(t: TestServer): Principal {
  const { projectId, organizationId } = t.server.bootstrap;
  return { keyId: 'test', projectId, organizationId, scopes: ['admin'], models: null, limits: null };
}

describe('registry and deployments over a fetch-to-cache store', () => {
  it('serves, downloads and deletes models whose blobs live elsewhere, from any machine', async () => {
    const remoteDir = await tempDir('remote');
    const bytes = addModel(5);
    const sha256 = sha256Of(bytes);
    const firstStore = await folderStore(remoteDir);
    const first = await startTestServer({ artifacts: firstStore });
    try {
      await deployModel(first, { name: 'add', bytes });
      expect(await infer(first, 'add')).toEqual([5, 5, 5, 5]);
      expect(firstStore.downloads.get(sha256)).toBe(1);
      expect(await readdir(remoteDir)).toEqual([sha256]);
      expect(existsSync(path.join(first.dataDir, 'artifacts'))).toBe(false);
      const download = await first.fetch('/api/v1/models/add/versions/1/artifact');
      expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    } finally {
      await first.server.close();
    }

    // Another machine: the same database and bucket, an empty cache. Restoring the deployment fetches.
    const store = await folderStore(remoteDir);
    const t = await startTestServer({ dataDir: first.dataDir, adminKey: first.adminKey, artifacts: store });
    try {
      expect(store.downloads.get(sha256)).toBe(1);
      expect(await infer(t, 'add')).toEqual([5, 5, 5, 5]);
      const { platform } = t.server;
      const deployed = await platform.store.db
        .selectFrom('deployments')
        .select('id')
        .executeTakeFirstOrThrow();
      const runnerPath = platform.engine.pool(deployed.id)?.plan.artifactPath;
      expect(runnerPath).toBe(path.join(store.cacheDir, sha256));

      await t.fetch('/api/v1/models', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'folder', task: 'text-classification' }),
      });
      const up = await t.fetch('/api/v1/models/folder/versions', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: await folderModelTar(),
      });
      expect(up.status).toBe(201);
      const { version } = await platform.registry.resolve(admin(t), 'folder:1');
      const folder = await platform.registry.localArtifactPath(version);
      expect(folder).toBe(path.join(store.cacheDir, `${version.sha256}.d`));
      expect(existsSync(path.join(folder, 'onnx', 'model.onnx'))).toBe(true);

      expect((await t.fetch('/api/v1/deployments/add', { method: 'DELETE' })).status).toBe(204);
      expect((await t.fetch('/api/v1/models/add', { method: 'DELETE' })).status).toBe(204);
      expect(existsSync(store.remotePath(sha256))).toBe(false);
      expect(existsSync(path.join(store.cacheDir, sha256))).toBe(false);
    } finally {
      await t.close();
    }
  }, 60_000);
});
