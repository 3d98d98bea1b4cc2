import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/platform/db/index.js';
import type { UsageRow } from '../src/usage/ledger/usage-row.js';
import { writeUsageBatch } from '../src/usage/ledger/write-usage-batch.js';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';
import { type TcpRelay, tcpRelay } from './support/tcp-relay.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const inferBody = JSON.stringify({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }],
});
const CALLERS = 4;
const OUTAGE_MS = 1_500;
const PER_REQUEST_NANOS = 1_000_000;
const MAX_BACKLOG = 25;

interface Answer {
  status: number;
  id: string;
  retryAfter: string | null;
  body: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const probe = await createPostgresDatabase();
if (!probe) console.log('skipped: no PostgreSQL on 127.0.0.1:5432');
await probe?.drop();

/**
 * PostgreSQL taken away under load (a relay cut in front of it) and brought back: whatever the
 * ledger's durability, every request a client saw succeed has exactly one ledger row once the
 * store is back, charged once to its budget; nothing answered 500. Before the cut the ledger's
 * table is locked from another connection, so commits stall and rows pile up in the backlog
 * (answered already with `async`, waiting with `commit`) when the store goes away.
 */
describe.runIf(probe !== null).each(['async', 'commit'] as const)(
  'ledger durability %s, the store restarted under load',
  (durability) => {
    let db: TestDatabase;
    let t: TestServer;
    let link: TcpRelay;
    let key: string;
    let keyId: string;
    beforeAll(async () => {
      db = (await createPostgresDatabase()) as TestDatabase;
      link = await tcpRelay(5432);
      const url = new URL(db.url);
      url.port = String(link.port);
      t = await startTestServer({
        databaseUrl: url.toString(),
        env: { MODELPORT_LEDGER_DURABILITY: durability, MODELPORT_MAX_LEDGER_BACKLOG: String(MAX_BACKLOG) },
      });
      await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
      const price = await t.fetch('/api/v1/models/adder/price', {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ perRequest: PER_REQUEST_NANOS / 1e9, perComputeSecond: 0 }),
      });
      expect(price.status).toBe(200);
      const created = await t.fetch('/api/v1/keys', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'load', scopes: ['infer'] }),
      });
      ({ id: keyId, key } = (await created.json()) as { id: string; key: string });
      const budget = await t.fetch(`/api/v1/budgets/keys/${keyId}`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ limit: 1_000_000, period: 'never' }),
      });
      expect(budget.status).toBe(200);
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await link?.close();
      await db?.drop();
    });

    it('commits the backlog after the store returns: one row per 2xx, none lost, none doubled, none 500', async () => {
      const answers: Answer[] = [];
      let stop = false;
      const caller = async () => {
        while (!stop) {
          const res = await t.fetch('/v2/models/adder/infer', {
            method: 'POST',
            headers: json,
            body: inferBody,
            key,
          });
          const body = await res.text();
          answers.push({
            status: res.status,
            id: res.headers.get('x-request-id') ?? '',
            retryAfter: res.headers.get('retry-after'),
            body,
          });
          if (res.status !== 200) await sleep(50);
        }
      };
      const callers = Array.from({ length: CALLERS }, caller);
      const okCount = () => answers.filter((a) => a.status === 200).length;
      while (okCount() < 20) await sleep(20);
      const locker = new pg.Client({ connectionString: db.url });
      await locker.connect();
      await locker.query('begin');
      await locker.query('lock table usage_events in access exclusive mode');
      const atLock = okCount();
      // OIP errors carry no code: the ledger's refusal is told by its message.
      const behind = () => answers.some((a) => a.status === 503 && a.body.includes('usage ledger is behind'));
      for (let i = 0; i < 100 && !(durability === 'async' ? behind() : i >= 5); i++) await sleep(100);
      const beforeCut = okCount();
      await link.down();
      await locker.query('rollback');
      await locker.end();
      await sleep(OUTAGE_MS);
      const atReturn = okCount();
      await link.up();
      const until = Date.now() + 20_000;
      while (okCount() < atReturn + 20 && Date.now() < until) await sleep(50);
      stop = true;
      await Promise.all(callers);

      for (const a of answers) {
        expect([200, 503], a.body).toContain(a.status);
        if (a.status === 503) expect(a.retryAfter, a.body).not.toBeNull();
      }
      if (durability === 'async') {
        // Answered while commits stalled: held in the backlog, up to its bound (plus requests already admitted).
        expect(behind()).toBe(true);
        // Rows answered just before the lock may still have been waiting then: they count too.
        expect(beforeCut - atLock).toBeGreaterThanOrEqual(MAX_BACKLOG - 2 * CALLERS);
        expect(beforeCut - atLock).toBeLessThanOrEqual(MAX_BACKLOG + CALLERS);
      } else {
        // Waiting for their commit: none answered until the store is back.
        expect(beforeCut - atLock).toBeLessThanOrEqual(CALLERS);
      }
      const ok = answers.filter((a) => a.status === 200).map((a) => a.id);
      expect(new Set(ok).size).toBe(ok.length);
      expect(ok.length).toBeGreaterThanOrEqual(40);

      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const rowsOf = async () =>
          (
            await client.query<{ request_id: string; status: number }>(
              'select request_id, status from usage_events where key_id = $1',
              [keyId],
            )
          ).rows;
        // The backlog is committed on the ledger's next retry (at most its retry delay, 2 s).
        let rows = await rowsOf();
        for (let i = 0; i < 100 && !ok.every((id) => rows.some((r) => r.request_id === id)); i++) {
          await sleep(100);
          rows = await rowsOf();
        }
        const served = rows.filter((r) => r.status === 200).map((r) => r.request_id);
        expect(served.sort()).toEqual([...ok].sort());
        const spent = await client.query<{ spent: string; charged: string }>(
          `select (select spent_nanos::text from budgets where scope = 'key' and target = $1) as spent,
                (select coalesce(sum(cost_nanos), 0)::text from usage_events where key_id = $1) as charged`,
          [keyId],
        );
        expect(spent.rows[0]?.spent).toBe(spent.rows[0]?.charged);
        expect(Number(spent.rows[0]?.charged)).toBe(rows.length * PER_REQUEST_NANOS);
      } finally {
        await client.end();
      }
      console.log(
        `${durability}: ${ok.length} answered 200 (${beforeCut - atLock} while commits stalled), ${answers.length - ok.length} answered 503, ${okCount() - atReturn} after the store returned`,
      );
    }, 60_000);

    it('charges a batch retried after a commit whose answer was lost once, not twice', async () => {
      const db2 = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 1 }) }),
      });
      try {
        const spent = async () =>
          Number(
            (
              await db2
                .selectFrom('budgets')
                .select('spent_nanos')
                .where('target', '=', keyId)
                .executeTakeFirstOrThrow()
            ).spent_nanos,
          );
        const template = await db2
          .selectFrom('usage_events')
          .selectAll()
          .where('key_id', '=', keyId)
          .executeTakeFirstOrThrow();
        const row: UsageRow = { ...template, request_id: `req_retried_${durability}` };
        // Nothing of the load left to commit (whatever the test above left behind).
        for (let i = 0; i < 100 && t.server.platform.ledger.backlog > 0; i++) await sleep(100);
        const before = await spent();
        // The first commit went through but its caller saw the connection drop: the batch is written again.
        await writeUsageBatch(db2, [row], new Date());
        await writeUsageBatch(db2, [row], new Date());
        expect(await spent()).toBe(before + row.cost_nanos);
        const copies = await db2
          .selectFrom('usage_events')
          .select('request_id')
          .where('request_id', '=', row.request_id)
          .execute();
        expect(copies).toHaveLength(1);
      } finally {
        await db2.destroy();
      }
    });
  },
);
