import os from 'node:os';
import { figure } from './lib/figure.mjs';
import { runLoops, timeSequential } from './lib/load-loops.mjs';
import { buildMlp } from './lib/model-builders.mjs';
import { binaryInferRequest, inferClient } from './lib/oip-client.mjs';
import { createSession, ort } from './lib/ort-session.mjs';
import { round, summarize } from './lib/percentiles.mjs';
import { coreShares, withCpu } from './lib/proc-cpu.mjs';
import { sampleValue } from './lib/prometheus.mjs';
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

/** Throughput and p99 of one MLP version served with dynamic batching (≤ 8, 2 ms) and without. */
export async function batchingThroughput({ log }) {
  const bytes = buildMlp();
  const ceiling = await computeCeiling(bytes);
  const server = await startServerProcess();
  const client = inferClient(server.url, server.key, CONCURRENCY);
  try {
    const version = await server.api.register('mlp', bytes);
    const deployments = {
      batched: await server.api.deploy('mlp-batched', 'mlp', version, {
        batching: { maxBatchSize: MAX_BATCH, maxQueueDelayMs: 2 },
      }),
      unbatched: await server.api.deploy('mlp-unbatched', 'mlp', version, { batching: { maxBatchSize: 1 } }),
    };
    // Distinct inputs per loop, so nothing downstream can answer a repeat from a cache.
    const requests = Array.from({ length: CONCURRENCY }, (_, i) =>
      binaryInferRequest(
        [{ name: 'x', datatype: 'FP32', shape: [1, 1024], data: randomFloats(1024, 100 + i) }],
        ['y'],
      ),
    );
    const load = (side, durationMs) => {
      let next = 0;
      return runLoops({
        concurrency: CONCURRENCY,
        durationMs,
        fn: () => client.infer(`mlp-${side}`, requests[next++ % CONCURRENCY]),
      });
    };
    const batchRows = async (side) => {
      const text = await server.api.metrics();
      const labels = { model: `mlp-${side}` };
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
        const pids = { api: server.pid, runner: deployments[side].instances[0].pid, client: process.pid };
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
          ['api', 'runner', 'client'].map((k) => [k, round(acc.cpuMs[k] / acc.count)]),
        ),
        machineBusyPercent: coreShares(acc.cpuMs, acc.wallMs).machine,
      };
    };
    const batched = await report('batched');
    const unbatched = await report('unbatched');
    log(`batched ${batched.reqPerS} req/s, unbatched ${unbatched.reqPerS} req/s`);
    const describe = (name, s) => [
      `${name.padEnd(10)} ${s.reqPerS} req/s  p50 ${s.p50Ms} ms  p99 ${s.p99Ms} ms  (n=${s.n})  ` +
        `mean batch ${s.meanBatchRows}`,
      `${''.padEnd(10)} CPU ms/request: api ${s.cpuMsPerRequest.api}, runner ${s.cpuMsPerRequest.runner}, ` +
        `bench client ${s.cpuMsPerRequest.client}; machine busy ${s.machineBusyPercent}% of ` +
        `${os.availableParallelism() * 100}%`,
    ];
    return {
      id: 'batching-throughput',
      title: `Dynamic batching, MLP 1024→4096→16, concurrency ${CONCURRENCY}`,
      figures: [
        figure('req/s batched ÷ unbatched', batched.reqPerS / unbatched.reqPerS, '>=', 3.0),
        figure('p99 batched ÷ unbatched', batched.p99Ms / unbatched.p99Ms, '<=', 1.5),
      ],
      raw: {
        concurrency: CONCURRENCY,
        secondsEach: (ROUNDS * ROUND_MS) / 1000,
        batched,
        unbatched,
        inProcessCompute: ceiling,
      },
      lines: [
        ...describe('batched', batched),
        ...describe('unbatched', unbatched),
        `in-process compute p50: 1 row ${ceiling.oneRowP50Ms} ms, ${MAX_BATCH} rows ${ceiling.fullBatchP50Ms} ms ` +
          `→ batching could gain at most ${ceiling.speedupCeiling}× if compute were the only cost`,
      ],
    };
  } finally {
    await client.close();
    await server.close();
  }
}
