import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKey } from '../src/auth/index.js';
import { addModel } from './support/artifacts.js';
import { type ServerProcess, serveProcess } from './support/server-process.js';

/**
 * Crash safety of the usage ledger: a real `modelport serve` on SQLite is killed with SIGKILL in the
 * middle of inference load, again and again; after each restart every 2xx answer the client fully
 * received has its ledger row, no request id appears twice, and the database passes its integrity
 * check. On its own: `npm run build --silent && npx vitest run packages/server/test/ledger-crash.test.ts`.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'packages/cli/dist/bin.js');

const KILLS = 20;
const LOOPS = 8;
/** Each loop stops after this many requests or this long, whichever comes first. */
const MAX_REQUESTS_PER_LOOP = 400;
const MAX_LOAD_MS = 3_000;
const KILL_AFTER_MS = { min: 50, max: 400 };
const START_TIMEOUT_MS = 30_000;

const inferBody = JSON.stringify({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }],
});

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

async function call(base: string, key: string, method: string, route: string, body?: unknown) {
  const binary = body instanceof Uint8Array;
  const res = await fetch(`${base}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined
        ? {}
        : { 'content-type': binary ? 'application/octet-stream' : 'application/json' }),
    },
    ...(body === undefined ? {} : { body: binary ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The adder model, deployed once, and a key that may only infer. */
async function setUp(base: string, adminKey: string): Promise<string> {
  await call(base, adminKey, 'POST', '/api/v1/models', { name: 'adder' });
  await call(base, adminKey, 'POST', '/api/v1/models/adder/versions', addModel(1));
  await call(base, adminKey, 'POST', '/api/v1/deployments', { model: 'adder' });
  const created = await call(base, adminKey, 'POST', '/api/v1/keys', { name: 'load', scopes: ['infer'] });
  return String(created.key);
}

/** One request, answered in full; undefined when the connection broke first. */
async function inferOnce(pool: Pool, key: string) {
  try {
    const res = await pool.request({
      method: 'POST',
      path: '/v2/models/adder/infer',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: inferBody,
    });
    const text = await res.body.text();
    return { status: res.statusCode, requestId: String(res.headers['x-request-id']), text };
  } catch {
    return undefined;
  }
}

/**
 * The deployment is restored at start; its first answer also starts the ledger's writer, so the
 * kill lands on a warm server. Resolves to that answer's request id.
 */
async function firstAnswer(base: string, key: string): Promise<string> {
  const pool = new Pool(base, { connections: 1 });
  try {
    let requestId: string | undefined;
    const answered = await until(async () => {
      const answer = await inferOnce(pool, key);
      if (answer?.status === 200) requestId = answer.requestId;
      return requestId !== undefined;
    }, START_TIMEOUT_MS);
    if (!answered || !requestId) throw new Error('the restored deployment did not answer');
    return requestId;
  } finally {
    await pool.close();
  }
}

interface LoadResult {
  /** Server request ids of the 2xx answers received in full. */
  ok: string[];
  other: number;
}

/** `LOOPS` closed loops of infer requests until the server goes away (or the bounds are reached). */
async function load(base: string, key: string): Promise<LoadResult & { done: Promise<void> }> {
  const pool = new Pool(base, { connections: LOOPS });
  const result: LoadResult = { ok: [], other: 0 };
  const deadline = performance.now() + MAX_LOAD_MS;
  const loop = async () => {
    for (let i = 0; i < MAX_REQUESTS_PER_LOOP && performance.now() < deadline; i++) {
      const answer = await inferOnce(pool, key);
      if (!answer) return; // the server is gone: that answer was not received in full
      if (answer.status < 200 || answer.status >= 300) {
        result.other++;
        continue;
      }
      const out = JSON.parse(answer.text) as { outputs: { data: number[] }[] };
      expect(out.outputs[0]?.data).toEqual([2, 3, 4, 5]);
      result.ok.push(answer.requestId);
    }
  };
  const done = Promise.all(Array.from({ length: LOOPS }, loop)).then(() => pool.destroy());
  return Object.assign(result, { done });
}

/** Reads the ledger file directly, read-only, beside the running server. */
function inspectLedger(file: string, seen: readonly string[]) {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const statusOf = new Map(
      db.prepare('select request_id, status from usage_events').raw().all() as [string, number][],
    );
    const rows = db.prepare('select count(*) from usage_events').pluck().get() as number;
    const duplicates = db
      .prepare('select request_id, count(*) as n from usage_events group by request_id having count(*) > 1')
      .all();
    const integrity = db.pragma('integrity_check', { simple: true });
    return {
      rows,
      duplicates,
      integrity,
      missing: seen.filter((id) => !statusOf.has(id)),
      notOk: seen.filter((id) => statusOf.has(id) && statusOf.get(id) !== 200),
    };
  } finally {
    db.close();
  }
}

const randomDelayMs = () => KILL_AFTER_MS.min + Math.random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min);

describe('usage ledger under SIGKILL', () => {
  const dirs: string[] = [];
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it(`keeps a row for every 2xx answer across ${KILLS} kills mid-load`, async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mp-ledger-crash-'));
    dirs.push(dataDir);
    const adminKey = generateKey();
    server = await serveProcess(dataDir, adminKey);
    const key = await setUp(server.base, adminKey);
    const seen: string[] = [];
    let other = 0;
    let last: ReturnType<typeof inspectLedger> | undefined;
    for (let kill = 1; kill <= KILLS; kill++) {
      seen.push(await firstAnswer(server.base, key));
      const running = await load(server.base, key);
      await new Promise((r) => setTimeout(r, randomDelayMs()));
      server.child.kill('SIGKILL');
      await server.exited;
      await running.done;
      seen.push(...running.ok);
      other += running.other;
      server = await serveProcess(dataDir, adminKey);
      last = inspectLedger(path.join(dataDir, 'modelport.db'), seen);
      expect(last.missing, `2xx answers without a ledger row after kill ${kill}`).toEqual([]);
      expect(last.notOk, 'rows of 2xx answers recorded with another status').toEqual([]);
      expect(last.duplicates).toEqual([]);
      expect(last.integrity).toBe('ok');
    }
    console.log(
      `ledger crash test: kills ${KILLS}, 2xx seen ${seen.length} (other answers ${other}), ` +
        `rows ${last?.rows}, missing ${last?.missing.length}, duplicates ${last?.duplicates.length}`,
    );
    expect(seen.length - KILLS, '2xx answers under load, beside the first after each start').toBeGreaterThan(
      KILLS,
    );
    expect(new Set(seen).size).toBe(seen.length);
    server.child.kill('SIGTERM');
    await server.exited;
  }, 150_000);
});
