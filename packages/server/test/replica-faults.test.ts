import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../src/auth/index.js';
import { addModel } from './support/artifacts.js';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.js';
import { type ServerProcess, serveProcess } from './support/server-process.js';

/**
 * Two replicas (`modelport serve` processes on one PostgreSQL and one artifact folder) behind a real
 * HAProxy with health checks and L7 retries of requests that never reached a backend. One replica
 * is SIGKILLed under load: the clients see at most the requests it had in flight fail, the other
 * keeps serving, and every answer a client saw succeed has its usage row.
 */

const haproxyPath = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((p) => existsSync(p));
if (!haproxyPath) {
  if (process.env.CI === 'true')
    throw new Error('HAProxy is required under CI (.ci/services.sh installs it)');
  console.log('skipped: HAProxy is absent (apt-get install haproxy)');
}
const database = haproxyPath ? await createPostgresDatabase() : null;
if (haproxyPath && !database) console.log('skipped: no PostgreSQL on 127.0.0.1:5432');

const LOOPS = 6;
const LOAD_MS = 6_000;
const KILL_AT_MS = 2_000;
const inferBody = JSON.stringify({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }],
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function haproxyConfig(port: number, backends: string[]): string {
  const servers = backends.map((base, i) => `  server r${i + 1} ${new URL(base).host} check`).join('\n');
  return `global
  maxconn 512
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  option http-buffer-request
  retries 3
  option redispatch 1
  retry-on conn-failure
frontend front
  bind 127.0.0.1:${port}
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 300ms fall 2 rise 2
${servers}
`;
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

interface Answer {
  at: number;
  status: number | undefined;
  requestId: string | undefined;
}

/** LOOPS clients sending infer requests through `front` for `ms`, with `during` run meanwhile. */
async function load(front: string, key: string, ms: number, during: () => Promise<void>): Promise<Answer[]> {
  const pool = new Pool(front, { connections: LOOPS });
  const answers: Answer[] = [];
  const start = Date.now();
  const loop = async () => {
    while (Date.now() - start < ms) {
      try {
        const res = await pool.request({
          method: 'POST',
          path: '/v2/models/adder/infer',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: inferBody,
        });
        await res.body.text();
        answers.push({
          at: Date.now(),
          status: res.statusCode,
          requestId: String(res.headers['x-request-id']),
        });
      } catch {
        answers.push({ at: Date.now(), status: undefined, requestId: undefined });
      }
    }
  };
  await Promise.all([...Array.from({ length: LOOPS }, loop), during()]);
  await pool.close();
  return answers;
}

describe.runIf(database !== null)('replicas behind HAProxy survive one of them being killed', () => {
  const db = database as TestDatabase;
  const adminKey = generateKey();
  let dataDir: string;
  let r1: ServerProcess;
  let r2: ServerProcess;
  let proxy: ChildProcess | undefined;
  let front: string;
  let key: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mp-faults-'));
    env = { DATABASE_URL: db.url, MODELPORT_RUNNER_SPARES: '0', MODELPORT_SHUTDOWN_DELAY_MS: '1500' };
    r1 = await serveProcess(dataDir, adminKey, env);
    await call(r1.base, adminKey, 'POST', '/api/v1/models', { name: 'adder' });
    await call(r1.base, adminKey, 'POST', '/api/v1/models/adder/versions', addModel(1));
    await call(r1.base, adminKey, 'POST', '/api/v1/deployments', { model: 'adder', threads: 1 });
    key = String(
      (await call(r1.base, adminKey, 'POST', '/api/v1/keys', { name: 'load', scopes: ['infer'] })).key,
    );
    r2 = await serveProcess(dataDir, adminKey, env);
    // The second replica starts the deployment on its first request.
    await call(r2.base, key, 'POST', '/v2/models/adder/infer', JSON.parse(inferBody));
    const port = await freePort();
    const config = path.join(dataDir, 'haproxy.cfg');
    await writeFile(config, haproxyConfig(port, [r1.base, r2.base]));
    execFileSync(haproxyPath as string, ['-c', '-f', config], { stdio: 'ignore' });
    proxy = spawn(haproxyPath as string, ['-f', config, '-db'], { stdio: 'ignore' });
    front = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const ok = await fetch(`${front}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1_000)); // both servers marked up (rise 2 × 300 ms)
  }, 90_000);
  afterAll(async () => {
    proxy?.kill('SIGKILL');
    for (const r of [r1, r2]) {
      if (r && r.child.exitCode === null && r.child.signalCode === null) {
        r.child.kill('SIGTERM');
        await r.exited;
      }
    }
    await db.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('stops a replica on SIGTERM without a failed request: readiness first, then a drain', async () => {
    const port = new URL(r2.base).port;
    const answers = await load(front, key, 4_000, async () => {
      await new Promise((r) => setTimeout(r, 1_000));
      r2.child.kill('SIGTERM');
    });
    expect(await r2.exited).toBe(0);
    console.log(
      `${answers.length} answers while a replica stopped: ${answers.filter((a) => a.status !== 200).length} failed`,
    );
    expect(answers.length).toBeGreaterThan(100);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Back on the same address for the next test; HAProxy takes it in again.
    r2 = await serveProcess(dataDir, adminKey, { ...env, MODELPORT_PORT: port });
    await call(r2.base, key, 'POST', '/v2/models/adder/infer', JSON.parse(inferBody));
    await new Promise((r) => setTimeout(r, 1_500));
  }, 60_000);

  it('loses at most the requests in flight on the killed replica; the other serves on; every success has its row', async () => {
    let killedAt = Number.POSITIVE_INFINITY;
    const answers = await load(front, key, LOAD_MS, async () => {
      await new Promise((r) => setTimeout(r, KILL_AT_MS));
      killedAt = Date.now();
      r2.child.kill('SIGKILL');
    });
    await r2.exited;

    const failed = answers.filter((a) => a.status !== 200);
    const before = answers.filter((a) => a.at < killedAt);
    const settled = answers.filter((a) => a.at > killedAt + 1_500);
    console.log(
      `${answers.length} answers: ${before.length} before the kill, ${failed.length} failed (${JSON.stringify(failed.map((f) => f.status))}), ${settled.length} once HAProxy marked it down`,
    );
    // At most what the killed replica held: each of the LOOPS clients had one request in flight.
    expect(failed.length).toBeLessThanOrEqual(LOOPS);
    expect(settled.length).toBeGreaterThan(20);
    expect(settled.every((a) => a.status === 200)).toBe(true);

    const ids = answers.filter((a) => a.status === 200).map((a) => a.requestId as string);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query<{ request_id: string }>(
        'select request_id from usage_events where request_id = any($1)',
        [ids],
      );
      const recorded = new Set(rows.rows.map((r) => r.request_id));
      expect(ids.filter((id) => !recorded.has(id))).toEqual([]);
    } finally {
      await client.end();
    }
  }, 60_000);
});
