import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { masterKeyOf } from '../src/registry/artifact-keyring.js';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');

const stored = (t: TestServer, bytes: Uint8Array) => {
  const digest = sha256Of(bytes);
  return path.join(t.dataDir, 'artifacts', 'sha256', digest.slice(0, 2), digest);
};

async function infer(t: TestServer, model: string): Promise<{ status: number; y?: number[] }> {
  const res = await t.fetch(`/v2/models/${model}/infer`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
  });
  const body = (await res.json()) as { outputs?: { data: number[] }[] };
  return { status: res.status, ...(body.outputs?.[0] ? { y: body.outputs[0].data } : {}) };
}

async function download(
  t: TestServer,
  model: string,
): Promise<{ status: number; body: Buffer; code?: string }> {
  const res = await t.fetch(`/api/v1/models/${model}/versions/1/artifact`);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status === 200) return { status: 200, body };
  return {
    status: res.status,
    body,
    code: (JSON.parse(body.toString()) as { error: { code: string } }).error.code,
  };
}

describe('artifacts encrypted at rest', () => {
  it('seals uploads on disk, serves them, needs the key to read them, and rotates keys', async () => {
    // Stored plain before encryption was turned on: it stays readable afterwards.
    const plainBytes = addModel(1);
    const before = await startTestServer();
    await deployModel(before, { name: 'plain', bytes: plainBytes }, { threads: 1 });
    await before.server.close();

    const sealedBytes = addModel(2);
    const withA = await startTestServer({
      dataDir: before.dataDir,
      adminKey: before.adminKey,
      env: { MODELPORT_ARTIFACT_KEYS: keyA },
    });
    try {
      await deployModel(withA, { name: 'sealed', bytes: sealedBytes }, { threads: 1 });
      const onDisk = await readFile(stored(withA, sealedBytes));
      expect(onDisk.subarray(0, 8).toString()).toBe('MPSEAL01');
      expect(onDisk.subarray(8, 16).toString('hex')).toBe(masterKeyOf(keyA).id);
      expect(onDisk.includes(Buffer.from(sealedBytes).subarray(0, 32))).toBe(false);
      expect(existsSync(`${stored(withA, sealedBytes)}.d`)).toBe(false);
      expect(await infer(withA, 'sealed')).toEqual({ status: 200, y: [2, 2, 2, 2] });
      expect(await infer(withA, 'plain')).toEqual({ status: 200, y: [1, 1, 1, 1] });
      const got = await download(withA, 'sealed');
      expect(got.status).toBe(200);
      expect(sha256Of(got.body)).toBe(sha256Of(sealedBytes));
    } finally {
      await withA.server.close();
    }

    // Without the key the sealed artifact cannot be read; the plain one still can.
    const without = await startTestServer({ dataDir: before.dataDir, adminKey: before.adminKey });
    try {
      expect(await download(without, 'sealed')).toMatchObject({ status: 502, code: 'artifact_unreadable' });
      expect((await download(without, 'plain')).status).toBe(200);
      expect(await infer(without, 'plain')).toEqual({ status: 200, y: [1, 1, 1, 1] });
    } finally {
      await without.server.close();
    }

    // Rotation: B seals what comes next, A still opens what it sealed.
    const rotated = await startTestServer({
      dataDir: before.dataDir,
      adminKey: before.adminKey,
      env: { MODELPORT_ARTIFACT_KEYS: `${keyB},${keyA}` },
    });
    try {
      expect(await infer(rotated, 'sealed')).toEqual({ status: 200, y: [2, 2, 2, 2] });
      const next = addModel(3);
      await deployModel(rotated, { name: 'next', bytes: next }, { threads: 1 });
      expect((await readFile(stored(rotated, next))).subarray(8, 16).toString('hex')).toBe(
        masterKeyOf(keyB).id,
      );
      expect(await infer(rotated, 'next')).toEqual({ status: 200, y: [3, 3, 3, 3] });
    } finally {
      await rotated.close();
    }
  }, 120_000);

  it('refuses a key that is not 32 bytes of base64 at start', async () => {
    await expect(startTestServer({ env: { MODELPORT_ARTIFACT_KEYS: 'c2hvcnQ=' } })).rejects.toThrow(
      /32 bytes in base64/,
    );
  });
});
