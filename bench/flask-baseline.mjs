import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { awaitListening } from './lib/await-listening.mjs';
import { startBareBatch } from './lib/bare-batch.mjs';
import { figure, infoFigure } from './lib/figure.mjs';
import { runLoops } from './lib/load-loops.mjs';
import { buildMlp, mlpWeights } from './lib/model-builders.mjs';
import { inferClient, jsonInferRequest } from './lib/oip-client.mjs';
import { round, summarize } from './lib/percentiles.mjs';
import { withCpu } from './lib/proc-cpu.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { randomFloats } from './lib/tensor-data.mjs';

const CONCURRENCY = 8;
const THREADS = 1;
const HIDDEN = 4096;
const WARMUP_MS = 1_000;
/** Rounds alternate the two servers (and which goes first) so background load hits both alike. */
const ROUNDS = 2;
const ROUND_MS = 2_500;
const flaskScript = fileURLToPath(new URL('./lib/flask-mlp.py', import.meta.url));

/** The first python3 that imports torch and flask (pyenv shims may hide the system one), else null. */
function flaskPython() {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', 'import torch, flask, numpy'], { stdio: 'ignore' });
      return candidate;
    } catch {}
  }
  return null;
}

/** The Flask + PyTorch server on the same weights, in its own process; resolves once it listens. */
async function startFlask(python, dir) {
  const { w1, w2 } = mlpWeights({ hidden: HIDDEN });
  const files = { w1: path.join(dir, 'w1.f32'), w2: path.join(dir, 'w2.f32') };
  await writeFile(files.w1, w1);
  await writeFile(files.w2, w2);
  const args = JSON.stringify({ threads: THREADS, hidden: HIDDEN, ...files });
  const child = spawn(python, [flaskScript, args], {
    env: { ...process.env, OMP_NUM_THREADS: String(THREADS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = awaitListening(child, 'flask');
  const exited = started.exited;
  const url = await started.url;
  return {
    url,
    pid: child.pid,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const outputsOf = (answer) => JSON.parse(answer.body.toString('utf8')).outputs[0].data;

/** Both servers must compute the same function: the largest gap on one request, relative to its scale. */
function largestGap(a, b) {
  const scale = Math.max(...a.map(Math.abs), 1e-6);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / scale;
}

/**
 * Requests per second at concurrency 8 on the MLP 1024→4096→16 (JSON in and out, 1 thread) through
 * Modelport (dynamic batching ≤ 8 within 2 ms) ÷ the same weights served the way the seeds' scripts
 * serve a model: a Flask app with PyTorch (`lib/flask-mlp.py`), measured in the same run with the
 * same load generator, rounds alternating. Needs Debian's python3-flask and python3-torch.
 */
export async function flaskBaseline({ log }) {
  const id = 'flask-baseline';
  const title = 'Modelport ÷ Flask + PyTorch, MLP 1024→4096→16, JSON, c=8, 1 thread';
  const python = flaskPython();
  if (!python) {
    const why = 'python3 lacks flask or torch (apt-get install -y python3-flask python3-torch)';
    log(`skipped: ${why}`);
    return { id, title: `${title} (skipped)`, figures: [], raw: {}, lines: [`skipped: ${why}`] };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-flask-'));
  const server = await startServerProcess();
  const flask = await startFlask(python, dir).catch(async (err) => {
    await server.close();
    throw err;
  });
  const clients = [];
  const bare = [];
  try {
    const bytes = buildMlp({ hidden: HIDDEN });
    const deployment = await server.api.registerAndDeploy('mlp', bytes, {
      threads: THREADS,
      batching: { maxBatchSize: CONCURRENCY, maxQueueDelayMs: 2 },
    });
    // The floor: the thinnest node:http batching server, same batching rule, no Modelport work.
    for (const mode of ['thread', 'inline'])
      bare.push(await startBareBatch(bytes, { mode, maxBatch: CONCURRENCY }));
    const sides = {
      modelport: { client: inferClient(server.url, server.key, CONCURRENCY), pid: server.pid },
      flask: { client: inferClient(flask.url, 'none', CONCURRENCY), pid: flask.pid },
      'bare-thread': { client: inferClient(bare[0].url, 'none', CONCURRENCY), pid: bare[0].pid },
      'bare-inline': { client: inferClient(bare[1].url, 'none', CONCURRENCY), pid: bare[1].pid },
    };
    clients.push(...Object.values(sides).map((s) => s.client));
    // Distinct inputs per loop, so nothing downstream can answer a repeat from a cache.
    const requests = Array.from({ length: CONCURRENCY }, (_, i) =>
      jsonInferRequest([
        { name: 'x', datatype: 'FP32', shape: [1, 1024], data: randomFloats(1024, 100 + i) },
      ]),
    );
    const reference = outputsOf(await sides.modelport.client.infer('mlp', requests[0]));
    let gap = 0;
    for (const [name, side] of Object.entries(sides).slice(1)) {
      const sideGap = largestGap(reference, outputsOf(await side.client.infer('mlp', requests[0])));
      if (!(sideGap < 1e-4))
        throw new Error(`Modelport and ${name} disagree on the same input (gap ${sideGap})`);
      gap = Math.max(gap, sideGap);
    }
    const load = (side, durationMs) => {
      let next = 0;
      const fn = () => side.client.infer('mlp', requests[next++ % CONCURRENCY]);
      return runLoops({ concurrency: CONCURRENCY, durationMs, fn });
    };
    for (const side of Object.values(sides)) {
      await load(side, WARMUP_MS);
      Object.assign(side, { count: 0, seconds: 0, latencies: [], cpuMs: 0 });
    }
    const runner = deployment.instances[0].pid;
    for (let r = 0; r < ROUNDS; r++) {
      const order = Object.values(sides);
      for (const side of r % 2 === 0 ? order : order.reverse()) {
        const pids = side === sides.modelport ? { api: side.pid, runner } : { api: side.pid };
        const m = await withCpu(pids, () => load(side, ROUND_MS));
        side.count += m.result.count;
        side.seconds += m.result.elapsedS;
        side.latencies.push(...m.result.latencies);
        side.cpuMs += m.cpuMs.api + (m.cpuMs.runner ?? 0);
      }
      log(`round ${r + 1}/${ROUNDS}`);
    }
    const raw = Object.fromEntries(
      Object.entries(sides).map(([name, s]) => [
        name,
        {
          perSecond: round(s.count / s.seconds, 1),
          ...summarize(s.latencies),
          serverCpuMsPerRequest: round(s.cpuMs / s.count, 3),
        },
      ]),
    );
    const line = (name) =>
      `${name.padEnd(11)} ${raw[name].perSecond} req/s  p50 ${raw[name].p50Ms} ms  p99 ${raw[name].p99Ms} ms  ` +
      `(n=${raw[name].n}); server CPU ${raw[name].serverCpuMsPerRequest} ms/request`;
    return {
      id,
      title,
      figures: [
        figure(
          'req/s Modelport ÷ Flask + PyTorch, MLP 16 MB, c=8 (P8)',
          raw.modelport.perSecond / raw.flask.perSecond,
          '>=',
          10,
        ),
        infoFigure(
          'floor: req/s bare node:http batching server ÷ Flask, model on a worker thread',
          raw['bare-thread'].perSecond / raw.flask.perSecond,
        ),
        infoFigure(
          'floor: req/s bare node:http batching server ÷ Flask, model on the HTTP thread',
          raw['bare-inline'].perSecond / raw.flask.perSecond,
        ),
      ],
      raw: { ...raw, largestRelativeGap: gap },
      lines: [
        ...Object.keys(sides).map(line),
        'bare: plain node:http, JSON.parse, the same batching rule, no auth, metering or validation',
        `outputs agree within ${gap.toExponential(1)} (relative)`,
      ],
    };
  } finally {
    for (const client of clients) await client.close();
    for (const b of bare) await b.close();
    await flask.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
