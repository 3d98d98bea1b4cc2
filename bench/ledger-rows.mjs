import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { infoFigure } from './lib/figure.mjs';
import { runLoops } from './lib/load-loops.mjs';
import { serverDist } from './lib/paths.mjs';
import { round, summarize } from './lib/percentiles.mjs';

const { createUsageLedger } = await import(serverDist('usage/index.js'));
const { writeUsageBatch } = await import(serverDist('usage/ledger/write-usage-batch.js'));
const { openDatabase } = await import(serverDist('platform/db/index.js'));
const { createLogger } = await import(serverDist('platform/logger.js'));

/** Callers waiting on `record()` at once, as many requests in flight would. */
const CALLERS = 256;
const RUN_MS = 3_000;
const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

let seq = 0;
/** A priced-at-zero row (no budget updates), with a fresh request id. */
function usageRow() {
  const now = new Date().toISOString();
  return {
    request_id: `req_bench_${process.pid}_${++seq}`,
    client_request_id: null,
    project_id: 'prj_bench',
    key_id: 'key_bench',
    model: 'adder',
    deployment: 'adder',
    version: 1,
    endpoint: 'oip.infer',
    status: 200,
    error_code: null,
    tokens_in: 0,
    tokens_out: 0,
    queue_ms: 0.1,
    compute_ms: 0.2,
    cost_nanos: 0,
    started_at: now,
    finished_at: now,
  };
}

/** The ledger (group commit) under `CALLERS` concurrent `record()` calls, from a warm start. */
async function groupCommit(store, dataDir) {
  const ledger = createUsageLedger(store, dataDir, {
    maxBacklog: 1_000_000,
    flushEachCommit: true,
    log: createLogger('warn'),
  });
  try {
    await ledger.record(usageRow()); // starts the SQLite writer thread
    const before = ledger.stats();
    const run = await runLoops({
      concurrency: CALLERS,
      durationMs: RUN_MS,
      fn: () => ledger.record(usageRow()),
    });
    const after = ledger.stats();
    const batches = after.batches - before.batches;
    return { ...run, meanBatch: (after.rows - before.rows) / batches, batches };
  } finally {
    await ledger.close();
  }
}

/** The same SQL, one row per transaction (one commit each), one after another. */
const oneRowPerTransaction = (store) =>
  runLoops({
    concurrency: 1,
    durationMs: RUN_MS,
    fn: () => writeUsageBatch(store.db, [usageRow()], new Date()),
  });

async function rowCount(store) {
  const r = await store.db
    .selectFrom('usage_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

async function measure(label, store, dataDir) {
  const single = await oneRowPerTransaction(store);
  const grouped = await groupCommit(store, dataDir);
  const expected = single.count + grouped.count + 1;
  const rows = await rowCount(store);
  if (rows !== expected) throw new Error(`${label}: ${expected} rows recorded but ${rows} in usage_events`);
  return { label, single, grouped };
}

async function onSqlite() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'modelport-bench-ledger-'));
  const store = await openDatabase({ sqlitePath: path.join(dataDir, 'modelport.db') });
  try {
    return await measure('SQLite', store, dataDir);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A fresh database on the local PostgreSQL, dropped afterwards; null when none answers. */
async function onPostgres(log) {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    log('no PostgreSQL on 127.0.0.1:5432: measured on SQLite only');
    return null;
  }
  const name = `modelport_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const store = await openDatabase({
      databaseUrl: `postgres://postgres@127.0.0.1:5432/${name}`,
      sqlitePath: '',
    });
    try {
      return await measure('PostgreSQL', store, '');
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function describe({ label, single, grouped }) {
  const g = summarize(grouped.latencies);
  return {
    figures: [
      infoFigure(
        `${label} ledger rows/s ÷ one row per transaction rows/s`,
        grouped.perSecond / single.perSecond,
      ),
    ],
    raw: {
      groupCommit: {
        rowsPerSecond: round(grouped.perSecond, 1),
        meanBatch: round(grouped.meanBatch, 1),
        ...g,
      },
      oneRowPerTransaction: { rowsPerSecond: round(single.perSecond, 1), ...summarize(single.latencies) },
    },
    lines: [
      `${label}: group commit ${round(grouped.perSecond, 0)} rows/s (${CALLERS} callers, mean batch ` +
        `${round(grouped.meanBatch, 1)} rows, ${grouped.batches} commits, record() p50 ${g.p50Ms} ms p99 ${g.p99Ms} ms)`,
      `${label}: one row per transaction ${round(single.perSecond, 0)} rows/s`,
    ],
  };
}

/**
 * Ledger rows committed per second through `createUsageLedger` (group commit; SQLite through its
 * writer thread) under many concurrent `record()` calls, against committing the same rows one per
 * transaction, in the same run; on SQLite, and on PostgreSQL when 127.0.0.1:5432 answers.
 */
export async function ledgerRows({ log }) {
  const results = [await onSqlite()];
  const onPg = await onPostgres(log);
  if (onPg) results.push(onPg);
  const parts = results.map(describe);
  return {
    id: 'ledger-rows',
    title: `Usage ledger rows committed per second (${RUN_MS / 1000} s each, synchronous=FULL on SQLite)`,
    figures: parts.flatMap((p) => p.figures),
    raw: Object.fromEntries(results.map((r, i) => [r.label, parts[i].raw])),
    lines: parts.flatMap((p) => p.lines),
  };
}
