import { readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel } from '../src/formats/index.js';
import { addModel } from './support/artifacts.js';
import { buildTar } from './support/tar-writer.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const LIMIT = 64 * 1024;

async function errorOf(res: Response): Promise<{ status: number; code: string }> {
  const body = (await res.json()) as { error: { code: string } };
  return { status: res.status, code: body.error.code };
}

/** Sends the head of a request and part of its body over a raw socket, then cuts the connection. */
function abortedUpload(
  t: TestServer,
  pathname: string,
  announced: number | null,
  sent: Buffer,
): Promise<void> {
  const url = new URL(t.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      const length = announced === null ? 'transfer-encoding: chunked' : `content-length: ${announced}`;
      socket.write(
        `POST ${pathname} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${t.adminKey}\r\n` +
          `content-type: application/octet-stream\r\n${length}\r\n\r\n`,
      );
      socket.write(announced === null ? `${sent.length.toString(16)}\r\n` : '');
      socket.write(sent);
      setTimeout(() => {
        socket.destroy();
        setTimeout(resolve, 300);
      }, 200);
    });
    socket.on('error', () => resolve());
  });
}

describe('bad input', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { MODELPORT_MAX_ARTIFACT_BYTES: String(LIMIT) } });
    await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'target' }),
    });
  });
  afterAll(() => t.close());

  const upload = (body: Uint8Array) =>
    t.fetch('/api/v1/models/target/versions', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body,
    });

  it('answers unknown routes with 404 route_not_found and a request id', async () => {
    const res = await t.fetch('/api/v1/nothing-here');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    expect(await errorOf(res)).toEqual({ status: 404, code: 'route_not_found' });
    expect((await t.fetch('/api/v1/models', { method: 'PUT' })).status).toBe(404);
  });

  it('keeps its own unique request id and echoes a safe caller id as x-client-request-id', async () => {
    const mine = await t.fetch('/health/live', { headers: { 'x-request-id': 'trace-123' } });
    expect(mine.headers.get('x-request-id')).toMatch(/^req_/);
    expect(mine.headers.get('x-client-request-id')).toBe('trace-123');
    const again = await t.fetch('/health/live', { headers: { 'x-request-id': 'trace-123' } });
    expect(again.headers.get('x-request-id')).not.toBe(mine.headers.get('x-request-id'));
    const evil = await t.fetch('/health/live', { headers: { 'x-request-id': 'a b<script>' } });
    expect(evil.headers.get('x-request-id')).toMatch(/^req_/);
    expect(evil.headers.get('x-client-request-id')).toBeNull();
  });

  it('refuses broken JSON, wrong fields and oversized bodies', async () => {
    const broken = await t.fetch('/api/v1/models', { method: 'POST', headers: json, body: '{"name": ' });
    expect(await errorOf(broken)).toEqual({ status: 400, code: 'invalid_json' });
    const wrong = await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 1 }),
    });
    expect(await errorOf(wrong)).toEqual({ status: 400, code: 'validation_failed' });
    const task = await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'ok', task: 'mind-reading' }),
    });
    expect(await errorOf(task)).toEqual({ status: 400, code: 'validation_failed' });
    const huge = await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'big', description: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(await errorOf(huge)).toEqual({ status: 413, code: 'payload_too_large' });
    const text = await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(await errorOf(text)).toEqual({ status: 415, code: 'unsupported_media_type' });
  });

  it.each([
    ['..', 'dots'],
    ['a/b', 'slash'],
    ['a\u0000b', 'NUL'],
    ['a\u0007b', 'control character'],
    ['Upper', 'upper case'],
    ['a:1', 'colon'],
    ['a@b', 'at sign'],
    ['x'.repeat(65), 'over-long'],
    ['a..b', 'dot-dot inside'],
    ['', 'empty'],
  ])('refuses the model name %j (%s)', async (name) => {
    const res = await t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name }),
    });
    expect(await errorOf(res)).toEqual({ status: 400, code: 'validation_failed' });
  });

  it.each(['..', '..%2F..%2Fetc', 'a%00b', '%0A', 'x'.repeat(300)])(
    'answers 404 for the path name %s',
    async (name) => {
      const res = await t.fetch(`/api/v1/models/${name}`);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toMatch(/not_found/);
    },
  );

  it.each([
    ['pickle', Buffer.from([0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0]), 422, 'forbidden_artifact_format'],
    [
      'PyTorch zip',
      Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(60)]),
      422,
      'forbidden_artifact_format',
    ],
    ['random bytes', Buffer.from('hello, this is not a model at all'), 422, 'unsupported_artifact_format'],
    ['empty body', Buffer.alloc(0), 400, 'empty_artifact'],
    ['truncated ONNX', Buffer.from(addModel(1)).subarray(0, 40), 422, 'invalid_artifact'],
    ['oversized', Buffer.alloc(LIMIT + 1, 7), 413, 'artifact_too_large'],
  ])('refuses an artifact that is %s', async (_what, bytes, status, code) => {
    expect(await errorOf(await upload(bytes))).toEqual({ status, code });
  });

  it('refuses ONNX external data outside a folder, and tar entries that escape', async () => {
    const external = buildOnnxModel({
      inputs: [{ name: 'x', elemType: 'FP32', shape: [4] }],
      outputs: [{ name: 'y', elemType: 'FP32', shape: [4] }],
      initializers: [{ name: 'b', elemType: 'FP32', dims: [4], externalLocation: '../../etc/passwd' }],
      nodes: [{ opType: 'Add', inputs: ['x', 'b'], outputs: ['y'] }],
    });
    expect((await errorOf(await upload(external))).status).toBe(422);
    const inTar = buildTar([
      { path: 'config.json', data: '{"model_type":"bert"}' },
      { path: 'onnx/model.onnx', data: Buffer.from(external) },
    ]);
    expect(await errorOf(await upload(inTar))).toEqual({ status: 422, code: 'unsafe_artifact_path' });
    const escaping = buildTar([
      { path: 'config.json', data: '{}' },
      { path: '../evil.txt', data: 'x' },
    ]);
    expect(await errorOf(await upload(escaping))).toEqual({ status: 422, code: 'unsafe_artifact_path' });
    const link = buildTar([
      { path: 'config.json', data: '{}' },
      { path: 'link', type: '2', linkpath: '/etc/passwd' },
    ]);
    expect(await errorOf(await upload(link))).toEqual({ status: 422, code: 'unsafe_artifact_path' });
  });

  it('leaves nothing behind after truncated uploads and clients that go away', async () => {
    const bytes = Buffer.from(addModel(5));
    await abortedUpload(t, '/api/v1/models/target/versions', bytes.length, bytes.subarray(0, 50));
    await abortedUpload(t, '/api/v1/models/target/versions', null, bytes.subarray(0, 50));
    const versions = (await (await t.fetch('/api/v1/models/target/versions')).json()) as { data: unknown[] };
    expect(versions.data).toEqual([]);
    expect(await readdir(path.join(t.dataDir, 'tmp'))).toEqual([]);
    const artifacts = await readdir(path.join(t.dataDir, 'artifacts')).catch(() => []);
    expect(artifacts).toEqual([]);
  });

  it('still serves after all of that', async () => {
    const res = await upload(addModel(9));
    expect(res.status).toBe(201);
  });
});
