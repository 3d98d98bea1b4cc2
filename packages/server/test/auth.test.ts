import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, hashKey, parseKey } from '../src/auth/index.js';
import type { KeyRepo } from '../src/auth/repo.js';
import { createKeyService } from '../src/auth/service.js';
import { AppError } from '../src/platform/errors/index.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('key format', () => {
  it('has a scannable prefix and a checksum that catches any one-character change', () => {
    const key = generateKey();
    expect(key).toMatch(/^mpk_[0-9A-Za-z]{50}$/);
    expect(parseKey(key)?.prefix).toBe(key.slice(0, 16));
    for (const i of [4, 10, 20, 40, key.length - 1]) {
      const c = key[i] === 'a' ? 'b' : 'a';
      expect(parseKey(key.slice(0, i) + c + key.slice(i + 1))).toBeNull();
    }
    expect(parseKey(key.slice(0, -1))).toBeNull();
    expect(parseKey(`${key}x`)).toBeNull();
    expect(hashKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses malformed keys without a database lookup', async () => {
    let lookups = 0;
    const repo = {
      findByPrefix: async () => {
        lookups++;
        return undefined;
      },
    } as unknown as KeyRepo;
    const keys = createKeyService(repo);
    const forged = `${generateKey().slice(0, -6)}AAAAAA`;
    for (const bad of ['', 'sk-123', 'mpk_short', forged]) {
      await expect(keys.authenticate(bad)).rejects.toMatchObject({ code: 'invalid_api_key' });
    }
    expect(lookups).toBe(0);
    await expect(keys.authenticate(generateKey())).rejects.toBeInstanceOf(AppError);
    expect(lookups).toBe(1);
  });
});

describe('API keys over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('leaves health and docs public and guards everything else', async () => {
    expect((await t.fetch('/health/live', { key: null })).status).toBe(200);
    expect((await t.fetch('/health/ready', { key: null })).status).toBe(200);
    expect((await t.fetch('/docs/json', { key: null })).status).toBe(200);
    const res = await t.fetch('/api/v1/models', { key: null });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('missing_api_key');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    expect((await t.fetch('/metrics', { key: null })).status).toBe(401);
  });

  it('answers 401 with a distinct code for forged, unknown, revoked and expired keys', async () => {
    const code = async (key: string) =>
      ((await (await t.fetch('/api/v1/models', { key })).json()) as { error: { code: string } }).error.code;
    expect(await code('mpk_not-a-key')).toBe('invalid_api_key');
    expect(await code(generateKey())).toBe('invalid_api_key');
    const created = await t.fetch('/api/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'temp', scopes: ['manage'] }),
    });
    const { id, key } = (await created.json()) as { id: string; key: string };
    expect((await t.fetch('/api/v1/models', { key })).status).toBe(200);
    const revoked = await t.fetch(`/api/v1/keys/${id}`, { method: 'DELETE' });
    expect(((await revoked.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect(await code(key)).toBe('api_key_revoked');
    const past = await t.mintKey({
      scopes: ['manage'],
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect(await code(past)).toBe('api_key_expired');
  });

  it('stores only a hash and shows the secret once', async () => {
    const key = await t.mintKey({ name: 'listed', scopes: ['infer'] });
    const list = (await (await t.fetch('/api/v1/keys')).json()) as { data: Record<string, unknown>[] };
    const entry = list.data.find((k) => k.name === 'listed');
    expect(entry?.prefix).toBe(key.slice(0, 16));
    expect(JSON.stringify(list)).not.toContain(key);
    expect(entry).not.toHaveProperty('key');
  });

  it('answers 403 without the scope, and hides models outside the allow-list', async () => {
    const infer = await t.mintKey({ scopes: ['infer'] });
    const res = await t.fetch('/api/v1/models', {
      method: 'POST',
      key: infer,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'nope' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('insufficient_scope');
    expect((await t.fetch('/api/v1/keys', { key: infer })).status).toBe(403);

    for (const name of ['visible', 'hidden']) {
      await t.fetch('/api/v1/models', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
    }
    const limited = await t.mintKey({ scopes: ['manage'], models: ['visible'] });
    const list = (await (await t.fetch('/api/v1/models', { key: limited })).json()) as {
      data: { name: string }[];
    };
    expect(list.data.map((m) => m.name)).toEqual(['visible']);
    expect((await t.fetch('/api/v1/models/visible', { key: limited })).status).toBe(200);
    const hidden = await t.fetch('/api/v1/models/hidden', { key: limited });
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as { error: { code: string } }).error.code).toBe('model_not_found');
  });

  it('serves /metrics to a metrics key', async () => {
    const metrics = await t.mintKey({ scopes: ['metrics'] });
    const res = await t.fetch('/metrics', { key: metrics });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('modelport_http_requests_total');
  });

  it('refuses bad key requests with validation errors', async () => {
    const res = await t.fetch('/api/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scopes: ['root'] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    expect((await t.fetch('/api/v1/keys/key_missing', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('bootstrap', () => {
  it('creates an admin key on first start and only then', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { startServer } = await import('../src/app/start-server.js');
    const { loadConfig } = await import('../src/config/index.js');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-boot-'));
    const env = {
      MODELPORT_PORT: '0',
      MODELPORT_DATA_DIR: dir,
      MODELPORT_LOG_LEVEL: 'silent',
      MODELPORT_DEMO: 'false',
    };
    const first = await startServer(loadConfig({ env, cwd: dir }));
    const key = first.bootstrap.createdAdminKey;
    expect(key).toMatch(/^mpk_/);
    const res = await fetch(`${first.url}/api/v1/keys`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    await first.close();
    // What an upload cut short by a crash leaves behind is gone after the next start.
    const { writeFile, readdir } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'tmp', 'crashed-upload.part'), 'partial');
    const second = await startServer(loadConfig({ env, cwd: dir }));
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
    expect(second.bootstrap.createdAdminKey).toBeNull();
    expect(second.bootstrap.projectId).toBe(first.bootstrap.projectId);
    await second.close();
  });
});
