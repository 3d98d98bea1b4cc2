import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from './support/postgres.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

interface Key {
  id: string;
  key: string;
  prefix: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  rotatedAt: string | null;
  previousPrefix: string | null;
  previousValidUntil: string | null;
}

const pgDb = await createPostgresDatabase();
if (!pgDb) console.log('skipped: key rotation on PostgreSQL (no PostgreSQL on 127.0.0.1:5432)');

describe.each([
  { store: 'sqlite', databaseUrl: undefined, skip: false },
  { store: 'postgres', databaseUrl: pgDb?.url, skip: pgDb === null },
])('key rotation on $store', ({ databaseUrl, skip }) => {
  let t: TestServer;
  // The server's clock: tests move it past grace periods instead of waiting.
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    if (!skip) t = await startTestServer({ clock, ...(databaseUrl ? { databaseUrl } : {}) });
  });
  afterAll(async () => {
    if (!skip) await t.close();
    if (databaseUrl) await pgDb?.drop();
  });

  const codeFor = async (key: string) => {
    const res = await t.fetch('/api/v1/models', { key });
    return res.status === 200 ? 'ok' : ((await res.json()) as { error: { code: string } }).error.code;
  };
  const create = async (body: Record<string, unknown>, key = t.adminKey): Promise<Key> => {
    const res = await t.fetch('/api/v1/keys', {
      method: 'POST',
      key,
      headers: json,
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
    return (await res.json()) as Key;
  };
  const rotate = (id: string, body: unknown, key = t.adminKey) =>
    t.fetch(`/api/v1/keys/${id}/rotate`, {
      method: 'POST',
      key,
      ...(body === undefined ? {} : { headers: json, body: JSON.stringify(body) }),
    });

  it.skipIf(skip)(
    'gives a new secret under the same id; the old one works until the grace ends',
    async () => {
      const old = await create({ name: 'app', scopes: ['manage'] });
      const res = await rotate(old.id, { gracePeriodSeconds: 3600 });
      expect(res.status).toBe(200);
      const rotated = (await res.json()) as Key;
      expect(rotated).toMatchObject({ id: old.id, previousPrefix: old.prefix, revokedAt: null });
      expect(rotated.key).not.toBe(old.key);
      expect(rotated.prefix).toBe(rotated.key.slice(0, 16));
      const graceS =
        (Date.parse(rotated.previousValidUntil ?? '') - Date.parse(rotated.rotatedAt ?? '')) / 1000;
      expect(graceS).toBe(3600);

      expect(await codeFor(old.key)).toBe('ok');
      expect(await codeFor(rotated.key)).toBe('ok');
      const shown = await (await t.fetch(`/api/v1/keys/${old.id}`)).text();
      expect(shown).not.toContain(rotated.key);
      expect(JSON.parse(shown)).toMatchObject({ prefix: rotated.prefix, previousPrefix: old.prefix });

      offsetMs += 3601_000;
      expect(await codeFor(old.key)).toBe('api_key_rotated');
      expect(await codeFor(rotated.key)).toBe('ok');
    },
  );

  it.skipIf(skip)('defaults to a day, 0 stops the old secret at once, and the range is checked', async () => {
    const first = await create({ scopes: ['manage'] });
    const byDefault = (await (await rotate(first.id, undefined)).json()) as Key;
    const graceS =
      (Date.parse(byDefault.previousValidUntil ?? '') - Date.parse(byDefault.rotatedAt ?? '')) / 1000;
    expect(graceS).toBe(86_400);
    const now = (await (await rotate(first.id, { gracePeriodSeconds: 0 })).json()) as Key;
    expect(await codeFor(byDefault.key)).toBe('api_key_rotated');
    // Only the last replaced secret is remembered: one from two rotations ago is simply unknown.
    expect(await codeFor(first.key)).toBe('invalid_api_key');
    expect(await codeFor(now.key)).toBe('ok');
    for (const gracePeriodSeconds of [-1, 30 * 86_400 + 1, 1.5]) {
      const bad = await rotate(first.id, { gracePeriodSeconds });
      expect(bad.status).toBe(400);
    }
    expect((await rotate(first.id, { gracePeriodSeconds: 30 * 86_400 })).status).toBe(200);
  });

  it.skipIf(skip)('revocation ends both secrets at once, and a revoked key cannot be rotated', async () => {
    const old = await create({ scopes: ['manage'] });
    const rotated = (await (await rotate(old.id, { gracePeriodSeconds: 3600 })).json()) as Key;
    expect((await t.fetch(`/api/v1/keys/${old.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await codeFor(old.key)).toBe('api_key_revoked');
    expect(await codeFor(rotated.key)).toBe('api_key_revoked');
    const again = await rotate(old.id, {});
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('key_revoked');
  });

  it.skipIf(skip)('concurrent rotations form one chain: none is lost, the others answer 409', async () => {
    const original = await create({ scopes: ['manage'] });
    const answers = await Promise.all(Array.from({ length: 6 }, () => rotate(original.id, {})));
    const ok: Key[] = [];
    for (const res of answers) {
      if (res.status === 200) ok.push((await res.json()) as Key);
      else
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('key_rotation_conflict');
    }
    expect(ok.length).toBeGreaterThan(0);
    const stored = (await (await t.fetch(`/api/v1/keys/${original.id}`)).json()) as Key;
    const chain = [original, ...ok].map((k) => k.prefix);
    // The stored secret is a rotation's, and the one before it is the one that rotation replaced.
    expect(ok.map((k) => k.prefix)).toContain(stored.prefix);
    const replaced = ok.find((k) => k.prefix === stored.prefix)?.previousPrefix;
    expect(stored.previousPrefix).toBe(replaced);
    expect(chain).toContain(stored.previousPrefix);
    // Each success replaced a different secret: no two rotated from the same stale read.
    expect(new Set(ok.map((k) => k.previousPrefix)).size).toBe(ok.length);
  });

  it.skipIf(skip)('keeps limits on the key across the rotation', async () => {
    const old = await create({ scopes: ['manage'], limits: { requestsPerMinute: 2 } });
    expect(await codeFor(old.key)).toBe('ok');
    const rotated = (await (await rotate(old.id, {})).json()) as Key;
    expect(await codeFor(rotated.key)).toBe('ok');
    expect(await codeFor(rotated.key)).toBe('rate_limit_exceeded');
  });

  it.skipIf(skip)('a key may rotate itself and keep going on the new secret', async () => {
    const admin = await create({ name: 'ops', scopes: ['admin'] });
    const res = await rotate(admin.id, { gracePeriodSeconds: 0 }, admin.key);
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as Key;
    expect(await codeFor(admin.key)).toBe('api_key_rotated');
    expect((await t.fetch('/api/v1/keys', { key: rotated.key })).status).toBe(200);
  });

  it.skipIf(skip)('shows one key and its last use; unknown ids are key_not_found', async () => {
    const key = await create({ name: 'used', scopes: ['manage'] });
    expect(await codeFor(key.key)).toBe('ok');
    let lastUsedAt: string | null = null;
    for (let i = 0; i < 50 && lastUsedAt === null; i++) {
      const list = (await (await t.fetch('/api/v1/keys')).json()) as { data: Key[] };
      lastUsedAt = list.data.find((k) => k.id === key.id)?.lastUsedAt ?? null;
      if (lastUsedAt === null) await new Promise((r) => setTimeout(r, 20));
    }
    expect(lastUsedAt).not.toBeNull();
    const one = (await (await t.fetch(`/api/v1/keys/${key.id}`)).json()) as Key;
    expect(one).toMatchObject({ id: key.id, lastUsedAt, rotatedAt: null, previousPrefix: null });
    expect(one).not.toHaveProperty('key');
    for (const method of ['GET', 'DELETE']) {
      expect((await t.fetch('/api/v1/keys/key_unknown', { method })).status).toBe(404);
    }
    expect((await rotate('key_unknown', {})).status).toBe(404);
  });

  it.skipIf(skip)('a project admin may not mint, rotate or revoke an org_admin key', async () => {
    const projectAdmin = await create({ scopes: ['admin'] });
    const orgKey = await create({ scopes: ['org_admin'] });
    const minted = await t.fetch('/api/v1/keys', {
      method: 'POST',
      key: projectAdmin.key,
      headers: json,
      body: JSON.stringify({ scopes: ['org_admin'] }),
    });
    expect(minted.status).toBe(403);
    expect((await rotate(orgKey.id, {}, projectAdmin.key)).status).toBe(403);
    const revoke = await t.fetch(`/api/v1/keys/${orgKey.id}`, { method: 'DELETE', key: projectAdmin.key });
    expect(revoke.status).toBe(403);
    expect(await codeFor(orgKey.key)).toBe('ok');
    expect((await t.fetch('/api/v1/projects', { key: orgKey.key })).status).toBe(200);
  });
});
