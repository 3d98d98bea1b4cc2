import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import S3rver from 's3rver';
import { infoFigure } from './lib/figure.mjs';
import { runLoops } from './lib/load-loops.mjs';
import { buildAdder } from './lib/model-builders.mjs';
import { inferClient, jsonInferRequest } from './lib/oip-client.mjs';
import { startServerProcess } from './lib/server-process.mjs';

const CONCURRENCY = 8;
const DURATION_MS = 5_000;
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** HAProxy in front of `backends`, health-checked; resolves once it answers. */
async function startHaproxy(binary, dir, backends) {
  const port = await freePort();
  const config = path.join(dir, `haproxy-${backends.length}.cfg`);
  const servers = backends.map((url, i) => `  server r${i + 1} ${new URL(url).host} check`).join('\n');
  await writeFile(
    config,
    `defaults\n  mode http\n  timeout connect 1s\n  timeout client 30s\n  timeout server 30s\n` +
      `frontend front\n  bind 127.0.0.1:${port}\n  default_backend replicas\n` +
      `backend replicas\n  balance roundrobin\n  option httpchk GET /health/ready\n  default-server inter 300ms\n${servers}\n`,
  );
  const child = spawn(binary, ['-f', config, '-db'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 700));
  return { url, close: () => child.kill('SIGKILL') };
}

/** Req/s of the adder through HAProxy at a closed loop of CONCURRENCY. */
async function throughput(url, key) {
  const client = inferClient(url, key, CONCURRENCY);
  const request = jsonInferRequest([{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }]);
  try {
    await runLoops({ concurrency: CONCURRENCY, durationMs: 500, fn: () => client.infer('adder', request) });
    return (
      await runLoops({
        concurrency: CONCURRENCY,
        durationMs: DURATION_MS,
        fn: () => client.infer('adder', request),
      })
    ).perSecond;
  } finally {
    await client.close();
  }
}

/**
 * Aggregate req/s of two replicas ÷ one behind HAProxy, on a cheap model (the adder): replicas on
 * one PostgreSQL database and one bucket (s3rver), the same load generator. On this 2-core machine
 * the two replicas, their runners, HAProxy and the load generator share the same cores, so the
 * ratio shows the cost of the extra hop and processes more than a gain.
 */
export async function replicasHaproxy({ log }) {
  const haproxy = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((p) => existsSync(p));
  if (!haproxy) {
    log('skipped: HAProxy is absent (apt-get install haproxy)');
    return {
      id: 'replicas-haproxy',
      title: 'Replicas behind HAProxy (skipped)',
      figures: [],
      raw: {},
      lines: [],
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-bench-replicas-'));
  const dbName = `modelport_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port } = await s3.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const s3Client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await s3Client.send(new CreateBucketCommand({ Bucket: 'bench-replicas' }));
  s3Client.destroy();
  const env = {
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbName}`,
    MODELPORT_ARTIFACTS_URL: 's3://bench-replicas/m/',
    AWS_ENDPOINT_URL_S3: endpoint,
    MODELPORT_S3_FORCE_PATH_STYLE: 'true',
    MODELPORT_S3_ACCESS_KEY_ID: 'S3RVER',
    MODELPORT_S3_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    MODELPORT_RUNNER_SPARES: '0',
  };
  const servers = [];
  const proxies = [];
  try {
    servers.push(await startServerProcess({ env }));
    await servers[0].api.register('adder', buildAdder(1));
    await servers[0].api.deploy('adder', 'adder', 1, { threads: 1 });
    servers.push(await startServerProcess({ env }));
    const key = servers[0].key;
    const one = await startHaproxy(haproxy, dir, [servers[0].url]);
    proxies.push(one);
    const oneRps = await throughput(one.url, key);
    const two = await startHaproxy(
      haproxy,
      dir,
      servers.map((s) => s.url),
    );
    proxies.push(two);
    const twoRps = await throughput(two.url, key);
    log(
      `adder, closed loop of ${CONCURRENCY} for ${DURATION_MS / 1000} s: 1 replica ${oneRps.toFixed(0)} req/s, 2 replicas ${twoRps.toFixed(0)} req/s`,
    );
    return {
      id: 'replicas-haproxy',
      title: 'Replicas behind HAProxy: aggregate req/s of 2 ÷ 1 (one 2-core machine)',
      figures: [
        infoFigure('req/s, 1 replica behind HAProxy', oneRps),
        infoFigure('req/s, 2 replicas behind HAProxy', twoRps),
        infoFigure('2 replicas ÷ 1 (all processes share 2 cores)', twoRps / oneRps),
      ],
      raw: { oneRps, twoRps },
      lines: [],
    };
  } finally {
    for (const p of proxies) p.close();
    for (const s of servers) await s.close();
    await s3.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}
