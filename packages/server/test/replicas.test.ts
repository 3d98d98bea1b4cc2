import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from './support/postgres.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const pgDb = await createPostgresDatabase();
if (!pgDb) console.log('skipped: two replicas on one PostgreSQL (no PostgreSQL on 127.0.0.1:5432)');

/** Two API processes' worth of server sharing one PostgreSQL, as replicas behind a load balancer. */
describe.skipIf(!pgDb)('two replicas on one PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    const databaseUrl = pgDb?.url as string;
    a = await startTestServer({ databaseUrl });
    b = await startTestServer({ databaseUrl, adminKey: a.adminKey });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pgDb?.drop();
  });

  it('revokes a key on every replica at once', async () => {
    const created = await a.fetch('/api/v1/keys', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'shared', scopes: ['manage'] }),
    });
    const { id, key } = (await created.json()) as { id: string; key: string };
    expect((await b.fetch('/api/v1/models', { key })).status).toBe(200);
    expect((await a.fetch(`/api/v1/keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    const refused = await b.fetch('/api/v1/models', { key });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('api_key_revoked');
  });

  it('ends a rotated secret’s grace on every replica', async () => {
    const created = await a.fetch('/api/v1/keys', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'rotating', scopes: ['manage'] }),
    });
    const { id, key: old } = (await created.json()) as { id: string; key: string };
    const rotated = await a.fetch(`/api/v1/keys/${id}/rotate`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ gracePeriodSeconds: 0 }),
    });
    const { key: fresh } = (await rotated.json()) as { key: string };
    expect((await b.fetch('/api/v1/models', { key: old })).status).toBe(401);
    expect((await b.fetch('/api/v1/models', { key: fresh })).status).toBe(200);
  });
});
