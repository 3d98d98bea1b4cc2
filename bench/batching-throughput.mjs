import os from 'node:os';
import { startBareBatch } from './lib/bare-batch.mjs';
import { figure, infoFigure } from './lib/figure.mjs';
import { runLoops, timeSequential } from './lib/load-loops.mjs';
import { buildMlp } from './lib/model-builders.mjs';
import { binaryInferRequest, binarySection, inferClient } from './lib/oip-client.mjs';
import { createSession, ort } from './lib/ort-session.mjs';
import { round, summarize } from './lib/percentiles.mjs';
import { coreShares, withCpu } from './lib/proc-cpu.mjs';
import { sampleValue } from './lib/prometheus.mjs';
import { runnerDirectReqPerS } from './lib/runner-direct.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { randomFloats } from './lib/tensor-data.mjs';

const CONCURRENCY = 8;
const MAX_BATCH = 8;
const WARMUP_MS = 1_000;
/** Rounds alternate the two deployments so background load on the machine hits both alike. */
const ROUNDS = 2;
const ROUND_MS = 2_500;

/**
 * In-process compute of one row and of a full batch: 8·t1/t8 is the most batching could gain if
 * the runner's compute were the only cost.
 */
async function computeCeiling(bytes) {
  const session = await createSession(bytes);
  try {
    const timeBatch = async (rows) => {
      const feeds = { x: new ort.Tensor('float32', randomFloats(rows * 1024, rows), [rows, 1024]) };
      await timeSequential(20, () => session.run(feeds));
      return summarize(await timeSequential(100, () => session.run(feeds))).p50Ms;
    };
    const one = await timeBatch(1);
    const full = await timeBatch(MAX_BATCH);
    return { oneRowP50Ms: one, fullBatchP50Ms: full, speedupCeiling: round((MAX_BATCH * one) / full, 2) };
  } finally {
    await session.release();
  }
}

/** The MLP's output for the input of seed `seed` (as `mlpRequests` sends it), run in this process. */
async function inProcessOutput(bytes, seed) {
  const session = await createSession(bytes);
  try {
    const x = new ort.Tensor('float32', randomFloats(1024, seed), [1, 1024]);
    return (await session.run({ x })).y.data;
  } finally {
    await session.release();
  }
}

const sameFloats = (a, b) =>
  a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= 1e-5 * Math.max(1, Math.abs(b[i])));

/** Distinct inputs per loop, so nothing downstream can answer a repeat from a cache. */
function mlpRequests() {
  return Array.from({ length: CONCURRENCY }, (_, i) =>
    binaryInferRequest(
      [{ name: 'x', datatype: 'FP32', shape: [1, 1024], data: randomFloats(1024, 100 + i) }],
      ['y'],
    ),
  );
}

/**
 * Throughput, latency and CPU of one MLP served with dynamic batching (≤ 8, 2 ms) and without;
 * with `threads`, also both on a worker thread of the API process (isolation: "thread").
 */
async function measureMlp(server, client, name, bytes, threads) {
  const version = await server.api.register(name, bytes);
  const batched = { batching: { maxBatchSize: MAX_BATCH, maxQueueDelayMs: 2 } };
  const unbatched = { batching: { maxBatchSize: 1 } };
  const deployments = {
    batched: await server.api.deploy(`${name}-batched`, name, version, batched),
    unbatched: await server.api.deploy(`${name}-unbatched`, name, version, unbatched),
  };
  if (threads) {
    const thread = { isolation: 'thread' };
    deployments['batched-thread'] = await server.api.deploy(`${name}-batched-thread`, name, version, {
      ...batched,
      ...thread,
    });
    deployments['unbatched-thread'] = await server.api.deploy(`${name}-unbatched-thread`, name, version, {
      ...unbatched,
      ...thread,
    });
  }
  const requests = mlpRequests();
  const load = (side, durationMs) => {
    let next = 0;
    return runLoops({
      concurrency: CONCURRENCY,
      durationMs,
      fn: () => client.infer(`${name}-${side}`, requests[next++ % CONCURRENCY]),
    });
  };
  const batchRows = async (side) => {
    const text = await server.api.metrics();
    const labels = { model: `${name}-${side}` };
    return {
      sum: sampleValue(text, 'modelport_inference_batch_size_sum', labels),
      count: sampleValue(text, 'modelport_inference_batch_size_count', labels),
    };
  };

  const sides = {};
  for (const side of Object.keys(deployments)) {
    await load(side, WARMUP_MS);
    sides[side] = { count: 0, s: 0, ms: [], cpuMs: {}, wallMs: 0, rowsBefore: await batchRows(side) };
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const [side, acc] of Object.entries(sides)) {
      // A runner thread's CPU is the API process's: there is no runner pid to read apart.
      const runnerPid = deployments[side].instances[0].pid;
      const pids = { api: server.pid, ...(runnerPid ? { runner: runnerPid } : {}), client: process.pid };
      const { result, cpuMs, wallMs } = await withCpu(pids, () => load(side, ROUND_MS));
      acc.count += result.count;
      acc.s += result.elapsedS;
      acc.ms.push(...result.latencies);
      acc.wallMs += wallMs;
      for (const [k, v] of Object.entries(cpuMs)) acc.cpuMs[k] = (acc.cpuMs[k] ?? 0) + v;
    }
  }
  const report = async (side) => {
    const acc = sides[side];
    const after = await batchRows(side);
    const rows = after.count - acc.rowsBefore.count;
    return {
      reqPerS: round(acc.count / acc.s, 1),
      ...summarize(acc.ms),
      meanBatchRows: rows > 0 ? round((after.sum - acc.rowsBefore.sum) / rows, 2) : null,
      cpuMsPerRequest: Object.fromEntries(
        ['api', 'runner', 'client'].map((k) => [
          k,
          acc.cpuMs[k] === undefined ? null : round(acc.cpuMs[k] / acc.count),
        ]),
      ),
      machineBusyPercent: coreShares(acc.cpuMs, acc.wallMs).machine,
    };
  };
  // Both deployments are stopped after measuring, so the next model has the machine to itself.
  const result = {};
  for (const side of Object.keys(deployments)) result[side] = await report(side);
  for (const side of Object.keys(deployments)) await server.api.undeploy(`${name}-${side}`);
  return result;
}

/**
 * The floor under P2: the same model, load and batching rule on the thinnest node:http batching
 * server (no gateway, no validation, no runner protocol), the model on a worker thread (the hop
 * Modelport's runners have too) and on the HTTP thread itself; batched and unbatched alternate.
 */
async function bareFloor(bytes, requests) {
  const expected = await inProcessOutput(bytes, 100);
  const result = {};
  for (const mode of ['thread', 'inline']) {
    const servers = {};
    try {
      for (const [side, maxBatch] of [
        ['batched', MAX_BATCH],
        ['unbatched', 1],
      ]) {
        const server = await startBareBatch(bytes, { mode, maxBatch });
        const client = inferClient(server.url, 'none', CONCURRENCY);
        servers[side] = { server, client, count: 0, s: 0 };
      }
      const load = (side, durationMs) => {
        let next = 0;
        const fn = () => side.client.infer('mlp', requests[next++ % CONCURRENCY]);
        return runLoops({ concurrency: CONCURRENCY, durationMs, fn });
      };
      for (const side of Object.values(servers)) {
        const answer = new Float32Array(
          new Uint8Array(binarySection(await side.client.infer('mlp', requests[0]))).buffer,
        );
        if (!sameFloats(answer, expected))
          throw new Error(`the bare ${mode} server's answer differs from onnxruntime's`);
        await load(side, WARMUP_MS);
      }
      for (let r = 0; r < ROUNDS; r++) {
        for (const side of Object.values(servers)) {
          const { count, elapsedS } = await load(side, ROUND_MS);
          side.count += count;
          side.s += elapsedS;
        }
      }
      const perSecond = (side) => round(side.count / side.s, 1);
      result[mode] = { batched: perSecond(servers.batched), unbatched: perSecond(servers.unbatched) };
    } finally {
      for (const side of Object.values(servers)) {
        await side.client.close();
        await side.server.close();
      }
    }
  }
  return result;
}

/** Batched and unbatched req/s of the same model on a runner reached without the API's front. */
async function directRatio(bytes) {
  const input = { name: 'x', datatype: 'FP32', shape: [1, 1024], data: randomFloats(1024, 100) };
  const options = { concurrency: CONCURRENCY, durationMs: ROUND_MS, input };
  return {
    batched: round(await runnerDirectReqPerS(bytes, { ...options, maxBatchSize: MAX_BATCH }), 1),
    unbatched: round(await runnerDirectReqPerS(bytes, { ...options, maxBatchSize: 1 }), 1),
  };
}

function describe(label, s) {
  const runner = s.cpuMsPerRequest.runner ?? '(in api: a thread)';
  return [
    `  ${label.padEnd(16)} ${s.reqPerS} req/s  p50 ${s.p50Ms} ms  p99 ${s.p99Ms} ms  (n=${s.n})  ` +
      `mean batch ${s.meanBatchRows}`,
    `  ${''.padEnd(16)} CPU ms/request: api ${s.cpuMsPerRequest.api}, runner ${runner}, ` +
      `bench client ${s.cpuMsPerRequest.client}; machine busy ${s.machineBusyPercent}% of ` +
      `${os.availableParallelism() * 100}%`,
  ];
}

/**
 * Dynamic batching on two MLPs with a dynamic first dimension. The goal (P2) is read on the 16 MB
 * one: one row is cheap there, so per-request costs outside compute decide what batching gains;
 * it is measured with runner processes and with runner threads. The 64 MB one (weights past the
 * last-level cache, where batching shares a pass over memory) is reported for context.
 */
export async function batchingThroughput({ log }) {
  const models = [
    {
      name: 'mlp4k',
      label: 'MLP 1024→4096→16 (16 MB of weights)',
      bytes: buildMlp({ hidden: 4096 }),
      threads: true,
    },
    { name: 'mlp16k', label: 'MLP 1024→16384→16 (64 MB of weights)', bytes: buildMlp({ hidden: 16384 }) },
  ];
  const server = await startServerProcess();
  const client = inferClient(server.url, server.key, CONCURRENCY);
  const results = {};
  try {
    for (const model of models) {
      const ceiling = await computeCeiling(model.bytes);
      results[model.name] = {
        ...(await measureMlp(server, client, model.name, model.bytes, model.threads)),
        ceiling,
        ...(model.threads
          ? { direct: await directRatio(model.bytes), bare: await bareFloor(model.bytes, mlpRequests()) }
          : {}),
      };
      const { batched, unbatched } = results[model.name];
      log(`${model.name}: batched ${batched.reqPerS} req/s, unbatched ${unbatched.reqPerS} req/s`);
    }
  } finally {
    await client.close();
    await server.close();
  }
  const [small, big] = models.map((m) => results[m.name]);
  const lines = models.flatMap((m) => {
    const r = results[m.name];
    const sides = ['batched', 'unbatched', 'batched-thread', 'unbatched-thread'].filter((side) => r[side]);
    return [
      `${m.label}:`,
      ...sides.flatMap((side) => describe(side, r[side])),
      `  in-process compute p50: 1 row ${r.ceiling.oneRowP50Ms} ms, ${MAX_BATCH} rows ${r.ceiling.fullBatchP50Ms} ms ` +
        `→ batching could gain at most ${r.ceiling.speedupCeiling}× if compute were the only cost`,
      `  runner CPU per batched request ${r.batched.cpuMsPerRequest.runner} ms vs one row's compute ` +
        `${r.ceiling.oneRowP50Ms} ms`,
      ...(r.direct
        ? [
            `  runner reached directly (engine client, frames; no HTTP front, no gateway): batched ` +
              `${r.direct.batched} req/s, unbatched ${r.direct.unbatched} req/s`,
            ...Object.entries(r.bare).map(
              ([mode, bare]) =>
                `  bare node:http batching server, model ${mode === 'thread' ? 'on a worker thread' : 'on the HTTP thread'}: ` +
                `batched ${bare.batched} req/s, unbatched ${bare.unbatched} req/s`,
            ),
          ]
        : []),
    ];
  });
  // P2: ≥ 3.0, or ≥ 0.8 of what compute alone allows in this run, whichever is lower.
  const goal = round(Math.min(3.0, 0.8 * small.ceiling.speedupCeiling), 2);
  const ratio = (r, b, u) => r[b].reqPerS / r[u].reqPerS;
  const p99 = (r, b, u) => r[b].p99Ms / r[u].p99Ms;
  return {
    id: 'batching-throughput',
    title: `Dynamic batching, concurrency ${CONCURRENCY}, batches ≤ ${MAX_BATCH} within 2 ms`,
    figures: [
      figure(
        `P2 req/s batched ÷ unbatched, MLP 1024×4096×16 (goal min(3.0, 0.8 × ceiling))`,
        ratio(small, 'batched', 'unbatched'),
        '>=',
        goal,
      ),
      figure('P2 p99 batched ÷ unbatched, MLP 1024×4096×16', p99(small, 'batched', 'unbatched'), '<=', 1.5),
      infoFigure(
        'ceiling if compute were the only cost (in-process 8·t1 ÷ t8), MLP 1024×4096×16',
        small.ceiling.speedupCeiling,
      ),
      figure(
        'P2 isolation thread: req/s batched ÷ unbatched, MLP 1024×4096×16',
        ratio(small, 'batched-thread', 'unbatched-thread'),
        '>=',
        goal,
      ),
      figure(
        'P2 isolation thread: p99 batched ÷ unbatched, MLP 1024×4096×16',
        p99(small, 'batched-thread', 'unbatched-thread'),
        '<=',
        1.5,
      ),
      infoFigure(
        'req/s batched thread ÷ batched process, MLP 1024×4096×16',
        ratio(small, 'batched-thread', 'batched'),
      ),
      infoFigure(
        'same P2 ratio at the runner protocol (engine → runner, no HTTP front or gateway)',
        small.direct.batched / small.direct.unbatched,
      ),
      infoFigure(
        'floor: same P2 ratio on a bare node:http batching server, model on a worker thread',
        small.bare.thread.batched / small.bare.thread.unbatched,
      ),
      infoFigure(
        'floor: same P2 ratio on a bare node:http batching server, model on the HTTP thread',
        small.bare.inline.batched / small.bare.inline.unbatched,
      ),
      infoFigure(
        'req/s batched, Modelport (process) ÷ the bare server with a worker thread',
        small.batched.reqPerS / small.bare.thread.batched,
      ),
      infoFigure('req/s batched ÷ unbatched, MLP 64 MB', ratio(big, 'batched', 'unbatched')),
      infoFigure('p99 batched ÷ unbatched, MLP 64 MB', p99(big, 'batched', 'unbatched')),
      infoFigure('ceiling if compute were the only cost, MLP 64 MB', big.ceiling.speedupCeiling),
    ],
    raw: { concurrency: CONCURRENCY, secondsEach: (ROUNDS * ROUND_MS) / 1000, ...results },
    lines,
  };
}
