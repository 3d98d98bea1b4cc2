import type { ApiKey } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('GET /api/v1/keys/self', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it('shows any key itself, scopes and allow-list included, never its secret or hash', async () => {
    const key = await t.mintKey({ name: 'reader', scopes: ['infer'], models: ['iris'] });
    const res = await t.fetch('/api/v1/keys/self', { key });
    expect(res.status).toBe(200);
    const self = (await res.json()) as ApiKey & Record<string, unknown>;
    expect(self).toMatchObject({
      name: 'reader',
      scopes: ['infer'],
      models: ['iris'],
      prefix: key.slice(0, 16),
    });
    expect(JSON.stringify(self)).not.toContain(key);
    expect(Object.keys(self)).not.toContain('key');
    expect(Object.keys(self).some((k) => k.toLowerCase().includes('hash'))).toBe(false);
    // The admin key reads itself too, and an infer key still may not read other keys.
    const admin = (await (await t.fetch('/api/v1/keys/self')).json()) as ApiKey;
    expect(admin.scopes).toContain('admin');
    expect((await t.fetch(`/api/v1/keys/${admin.id}`, { key })).status).toBe(403);
  });

  it('refuses a missing or revoked key with 401', async () => {
    expect((await t.fetch('/api/v1/keys/self', { key: null })).status).toBe(401);
    const key = await t.mintKey({ name: 'short-lived' });
    const self = (await (await t.fetch('/api/v1/keys/self', { key })).json()) as ApiKey;
    expect((await t.fetch(`/api/v1/keys/${self.id}`, { method: 'DELETE' })).status).toBe(200);
    const refused = await t.fetch('/api/v1/keys/self', { key });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'api_key_revoked' } });
  });
});
