import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';
import { type TcpRelay, tcpRelay } from './support/tcp-relay.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const database = await createPostgresDatabase();
if (!database) console.log('skipped: no PostgreSQL on 127.0.0.1:5432');

describe.runIf(database !== null)('the database away and back', () => {
  const db = database as TestDatabase;
  let t: TestServer;
  let link: TcpRelay;
  beforeAll(async () => {
    link = await tcpRelay(5432);
    const url = new URL(db.url);
    url.port = String(link.port);
    t = await startTestServer({ databaseUrl: url.toString() });
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await link?.close();
    await db.drop();
  });

  const infer = () =>
    t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
    });

  it('answers 503 with Retry-After while it is away, never 500, and serves again once it is back', async () => {
    expect((await infer()).status).toBe(200);
    await link.down();
    const during = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await infer();
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
      }),
    );
    for (const answer of during) {
      expect(answer.status, answer.body).toBe(503);
      expect(answer.retryAfter).not.toBeNull();
    }
    const health = await t.fetch('/health/ready');
    expect(health.status).toBe(503);
    await link.up();
    let back = 0;
    const ids: string[] = [];
    for (let i = 0; i < 100 && back < 5; i++) {
      const res = await infer();
      await res.text();
      if (res.status === 200) {
        back++;
        ids.push(res.headers.get('x-request-id') ?? '');
      } else expect(res.status).toBe(503);
      if (res.status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(5);
    // What was answered after it came back is in the ledger.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query('select request_id from usage_events where request_id = any($1)', [
        ids,
      ]);
      expect(rows.rowCount).toBe(ids.length);
    } finally {
      await client.end();
    }
  }, 60_000);
});
