import { fileURLToPath } from 'node:url';
import { figure, infoFigure } from './lib/figure.mjs';
import { runLoops } from './lib/load-loops.mjs';
import { buildAdder } from './lib/model-builders.mjs';
import { inferClient, jsonInferRequest } from './lib/oip-client.mjs';
import { round, summarize } from './lib/percentiles.mjs';
import { withCpu } from './lib/proc-cpu.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { randomFloats } from './lib/tensor-data.mjs';

/**
 * Capacity is measured with enough requests in flight to saturate the server (64), where each
 * side's CPU cost decides; at 8 the closed loop is bound by latency, which the ledger's commit
 * before each answer (one fsync, shared by the requests of a batch) lengthens.
 */
const CAPACITY_CONCURRENCY = 64;
const LOW_CONCURRENCY = 8;
/** 128 rows of the adder's 4 floats: a 10 KB JSON body, answered with 10 KB of JSON. */
const ROWS_10KB = 128;
const KB10 = '10kb';
const WARMUP_MS = 1_000;
/** Rounds alternate the two servers (and which goes first) so background load hits both alike. */
const ROUNDS = 6;
const ROUND_MS = 2_000;
const LIMITS = { requestsPerMinute: 10_000_000, concurrent: 1000 };
const gatewayOffServer = fileURLToPath(new URL('./lib/gateway-off-server.mjs', import.meta.url));
const bareJsonServer = fileURLToPath(new URL('./lib/bare-json-server.mjs', import.meta.url));

async function setUp(server, key) {
  const deployment = await server.api.registerAndDeploy('adder', buildAdder());
  const totals = () => ({
    latencies: [],
    count: 0,
    seconds: 0,
    cpuMs: { api: 0, runner: 0, client: 0, machine: 0 },
  });
  return {
    server,
    client: inferClient(server.url, key, CAPACITY_CONCURRENCY),
    pids: { api: server.pid, runner: deployment.instances[0].pid, client: process.pid },
    at: { [CAPACITY_CONCURRENCY]: totals(), [LOW_CONCURRENCY]: totals(), [KB10]: totals() },
  };
}

/** One closed-loop round against one side at one concurrency. */
function measureRound(side, request, durationMs, concurrency) {
  return withCpu(side.pids, () =>
    runLoops({ concurrency, durationMs, fn: () => side.client.infer('adder', request) }),
  );
}

function add(t, measured) {
  t.latencies.push(...measured.result.latencies);
  t.count += measured.result.count;
  t.seconds += measured.result.elapsedS;
  for (const k of Object.keys(t.cpuMs)) t.cpuMs[k] += measured.cpuMs[k];
}

const ledgerRows = async (server) =>
  (await server.api.usage()).data.reduce((sum, bucket) => sum + bucket.requests, 0);

const rate = (t) => t.count / t.seconds;
// CPU ms per request of each process (the API's includes its ledger thread), and how busy the
// whole machine was (200 % = both cores of a 2-core machine): CPU-bound or waiting.
const cpu = (t) => Object.fromEntries(Object.entries(t.cpuMs).map(([k, ms]) => [k, round(ms / t.count, 3)]));
const busy = (t) => Math.round((100 * t.cpuMs.machine) / 1000 / t.seconds);

function sideRaw(t) {
  return {
    perSecond: round(rate(t), 1),
    ...summarize(t.latencies),
    cpuMsPerRequest: cpu(t),
    busyPercent: busy(t),
  };
}

function line(name, concurrency, t) {
  const p = summarize(t.latencies);
  return (
    `${name} c=${concurrency}: ${round(rate(t), 1)} req/s  p50 ${p.p50Ms} ms  p99 ${p.p99Ms} ms  (n=${p.n}); ` +
    `CPU ms/req api ${cpu(t).api}, runner ${cpu(t).runner}, bench client ${cpu(t).client}; machine ${busy(t)} % busy`
  );
}

/** The 10 KB phase on the bare node:http server: requests and its CPU, nothing else. */
async function measureBare(bare, request, durationMs) {
  const measured = await withCpu(bare.pids, () =>
    runLoops({ concurrency: LOW_CONCURRENCY, durationMs, fn: () => bare.client.infer('adder', request) }),
  );
  bare.count += measured.result.count;
  bare.apiMs += measured.cpuMs.api;
}

/** The bare server must compute what the model does, or its CPU says nothing. */
async function assertSameAnswer(sides, bare, request) {
  const outputs = async (client) =>
    JSON.parse((await client.infer('adder', request)).body.toString()).outputs[0].data;
  const [served, floor] = [await outputs(sides[0].client), await outputs(bare.client)];
  if (JSON.stringify(served) !== JSON.stringify(floor))
    throw new Error('the bare JSON server answers differently');
}

function report(on, off, rowsOn, bare) {
  const [hi, lo] = [CAPACITY_CONCURRENCY, LOW_CONCURRENCY];
  const apiMs = (t) => t.cpuMs.api / t.count;
  const p50 = (t) => summarize(t.latencies).p50Ms;
  return {
    figures: [
      figure(
        `gateway on req/s ÷ gateway off req/s (capacity, concurrency ${hi})`,
        rate(on.at[hi]) / rate(off.at[hi]),
        '>=',
        0.7,
      ),
      infoFigure(
        `gateway on req/s ÷ off req/s at concurrency ${lo} (latency-bound)`,
        rate(on.at[lo]) / rate(off.at[lo]),
      ),
      infoFigure(`gateway on p50 ÷ off p50 at concurrency ${lo}`, p50(on.at[lo]) / p50(off.at[lo])),
      figure(`API CPU ms per request, 10 KB JSON, gateway on (c=${lo})`, apiMs(on.at[KB10]), '<=', 0.15),
      infoFigure(`API CPU ms per request, 10 KB JSON, gateway off (c=${lo})`, apiMs(off.at[KB10])),
      infoFigure(
        `floor: CPU ms per request of a bare node:http server doing the same (JSON.parse, add, JSON answer; c=${lo})`,
        bare.apiMs / bare.count,
      ),
    ],
    raw: {
      ledgerRowsOn: rowsOn,
      on: { [hi]: sideRaw(on.at[hi]), [lo]: sideRaw(on.at[lo]), [KB10]: sideRaw(on.at[KB10]) },
      off: { [hi]: sideRaw(off.at[hi]), [lo]: sideRaw(off.at[lo]), [KB10]: sideRaw(off.at[KB10]) },
    },
    lines: [
      ...[hi, lo].flatMap((c) => [line('on ', c, on.at[c]), line('off', c, off.at[c])]),
      line('on  10 KB JSON', lo, on.at[KB10]),
      line('off 10 KB JSON', lo, off.at[KB10]),
      `bare node:http 10 KB JSON c=${lo}: CPU ms/req ${round(bare.apiMs / bare.count, 3)} (n=${bare.count})`,
    ],
  };
}

/**
 * Requests per second of a cheap OIP inference (the adder model, JSON) through the whole gateway
 * (key check, per-key limits, usage ledger committed before each answer) ÷ the same route on a
 * server built with `{ gateway: false }`, measured in the same run, rounds alternating; and the
 * API process's CPU per request (from /proc) for a 10 KB JSON inference on each.
 */
export async function gatewayOverhead({ log }) {
  const gated = await startServerProcess();
  const ungated = await startServerProcess({ entry: [gatewayOffServer] });
  const bareServer = await startServerProcess({ entry: [bareJsonServer] });
  const bare = {
    client: inferClient(bareServer.url, '', LOW_CONCURRENCY),
    pids: { api: bareServer.pid, client: process.pid },
    count: 0,
    apiMs: 0,
  };
  const sides = [];
  try {
    const limited = await gated.api.createKey({ name: 'bench', scopes: ['infer'], limits: LIMITS });
    sides.push(await setUp(gated, limited.key), await setUp(ungated, ungated.key));
    const [on, off] = sides;
    const request = jsonInferRequest([
      { name: 'x', datatype: 'FP32', shape: [1, 4], data: Float32Array.of(1, 2, 3, 4) },
    ]);
    const request10kb = jsonInferRequest([
      { name: 'x', datatype: 'FP32', shape: [ROWS_10KB, 4], data: randomFloats(ROWS_10KB * 4, 5, -2, 2) },
    ]);
    const phases = [
      [CAPACITY_CONCURRENCY, request, CAPACITY_CONCURRENCY],
      [LOW_CONCURRENCY, request, LOW_CONCURRENCY],
      [KB10, request10kb, LOW_CONCURRENCY],
    ];
    for (const side of sides) await measureRound(side, request, WARMUP_MS, CAPACITY_CONCURRENCY);
    for (const side of sides) await measureRound(side, request10kb, WARMUP_MS, LOW_CONCURRENCY);
    await assertSameAnswer(sides, bare, request10kb);
    await measureBare({ ...bare, count: 0, apiMs: 0 }, request10kb, WARMUP_MS);
    const rowsBefore = [await ledgerRows(gated), await ledgerRows(ungated)];
    for (let r = 0; r < ROUNDS; r++) {
      for (const [phase, body, concurrency] of phases)
        for (const side of r % 2 === 0 ? [on, off] : [off, on])
          add(side.at[phase], await measureRound(side, body, ROUND_MS, concurrency));
      await measureBare(bare, request10kb, ROUND_MS);
      log(`round ${r + 1}/${ROUNDS}`);
    }
    const answeredOn = phases.reduce((n, [phase]) => n + on.at[phase].count, 0);
    const rowsOn = (await ledgerRows(gated)) - rowsBefore[0];
    const rowsOff = (await ledgerRows(ungated)) - rowsBefore[1];
    if (rowsOn !== answeredOn) throw new Error(`gateway on: ${answeredOn} answers but ${rowsOn} ledger rows`);
    if (rowsOff !== 0) throw new Error(`gateway off wrote ${rowsOff} ledger rows`);
    return {
      id: 'gateway-overhead',
      title: 'Gateway overhead: OIP infer on the adder model, JSON',
      ...report(on, off, rowsOn, bare),
    };
  } finally {
    for (const side of sides) await side.client.close();
    await bare.client.close();
    await gated.close();
    await ungated.close();
    await bareServer.close();
  }
}
