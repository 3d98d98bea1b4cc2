import { fileURLToPath } from 'node:url';
import { figure, infoFigure } from './lib/figure.mjs';
import { runLoops } from './lib/load-loops.mjs';
import { buildAdder } from './lib/model-builders.mjs';
import { inferClient, jsonInferRequest } from './lib/oip-client.mjs';
import { round, summarize } from './lib/percentiles.mjs';
import { withCpu } from './lib/proc-cpu.mjs';
import { startServerProcess } from './lib/server-process.mjs';

const CONCURRENCY = 8;
const WARMUP_MS = 1_000;
/** Rounds alternate the two servers (and which goes first) so background load hits both alike. */
const ROUNDS = 6;
const ROUND_MS = 2_000;
const LIMITS = { requestsPerMinute: 10_000_000, concurrent: 1000 };
const gatewayOffServer = fileURLToPath(new URL('./lib/gateway-off-server.mjs', import.meta.url));

async function setUp(server, key) {
  const deployment = await server.api.registerAndDeploy('adder', buildAdder());
  return {
    server,
    client: inferClient(server.url, key, CONCURRENCY),
    pids: { api: server.pid, runner: deployment.instances[0].pid, client: process.pid },
    latencies: [],
    count: 0,
    seconds: 0,
    cpuMs: { api: 0, runner: 0, client: 0, machine: 0 },
  };
}

/** One closed-loop round against one side; adds to its totals. */
async function measureRound(side, request, durationMs) {
  const measured = await withCpu(side.pids, () =>
    runLoops({ concurrency: CONCURRENCY, durationMs, fn: () => side.client.infer('adder', request) }),
  );
  return { ...measured.result, cpuMs: measured.cpuMs };
}

function add(side, r) {
  side.latencies.push(...r.latencies);
  side.count += r.count;
  side.seconds += r.elapsedS;
  for (const k of Object.keys(side.cpuMs)) side.cpuMs[k] += r.cpuMs[k];
}

const ledgerRows = async (server) =>
  (await server.api.usage()).data.reduce((sum, bucket) => sum + bucket.requests, 0);

function report(on, off, rowsOn, rowsOff) {
  const rate = (s) => s.count / s.seconds;
  const [a, b] = [summarize(on.latencies), summarize(off.latencies)];
  // CPU ms per request of each process (the API's includes its ledger thread), and how busy the
  // whole machine was (200 % = both cores of a 2-core machine): CPU-bound or waiting.
  const cpu = (s) =>
    Object.fromEntries(Object.entries(s.cpuMs).map(([k, ms]) => [k, round(ms / s.count, 3)]));
  const busy = (s) => Math.round((100 * s.cpuMs.machine) / 1000 / s.seconds);
  const line = (name, s, p, rows) =>
    `${name} ${round(rate(s), 1)} req/s  p50 ${p.p50Ms} ms  p99 ${p.p99Ms} ms  (n=${p.n}, ledger rows ${rows}); ` +
    `CPU ms/req api ${cpu(s).api}, runner ${cpu(s).runner}, bench client ${cpu(s).client}; machine ${busy(s)} % busy`;
  return {
    figures: [
      figure('gateway on req/s ÷ gateway off req/s', rate(on) / rate(off), '>=', 0.7),
      infoFigure('gateway on p50 ÷ off p50', a.p50Ms / b.p50Ms),
    ],
    raw: {
      concurrency: CONCURRENCY,
      on: {
        perSecond: round(rate(on), 1),
        ...a,
        cpuMsPerRequest: cpu(on),
        busyPercent: busy(on),
        ledgerRows: rowsOn,
      },
      off: {
        perSecond: round(rate(off), 1),
        ...b,
        cpuMsPerRequest: cpu(off),
        busyPercent: busy(off),
        ledgerRows: rowsOff,
      },
    },
    lines: [line('on ', on, a, rowsOn), line('off', off, b, rowsOff)],
  };
}

/**
 * Requests per second of a cheap OIP inference (the adder model, JSON, concurrency 8) through the
 * whole gateway (key check, per-key limits, usage ledger committed before each answer) ÷ the same
 * route on a server built with `{ gateway: false }`, measured in the same run, rounds alternating.
 */
export async function gatewayOverhead({ log }) {
  const gated = await startServerProcess();
  const ungated = await startServerProcess({ entry: [gatewayOffServer] });
  const sides = [];
  try {
    const limited = await gated.api.createKey({ name: 'bench', scopes: ['infer'], limits: LIMITS });
    sides.push(await setUp(gated, limited.key), await setUp(ungated, ungated.key));
    const [on, off] = sides;
    const request = jsonInferRequest([
      { name: 'x', datatype: 'FP32', shape: [1, 4], data: Float32Array.of(1, 2, 3, 4) },
    ]);
    for (const side of sides) await measureRound(side, request, WARMUP_MS);
    const rowsBefore = [await ledgerRows(gated), await ledgerRows(ungated)];
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of r % 2 === 0 ? [on, off] : [off, on])
        add(side, await measureRound(side, request, ROUND_MS));
      log(`round ${r + 1}/${ROUNDS}: on ${on.count} requests, off ${off.count}`);
    }
    const rowsOn = (await ledgerRows(gated)) - rowsBefore[0];
    const rowsOff = (await ledgerRows(ungated)) - rowsBefore[1];
    if (rowsOn !== on.count) throw new Error(`gateway on: ${on.count} answers but ${rowsOn} ledger rows`);
    if (rowsOff !== 0) throw new Error(`gateway off wrote ${rowsOff} ledger rows`);
    return {
      id: 'gateway-overhead',
      title: `Gateway overhead: OIP infer on the adder model, JSON, concurrency ${CONCURRENCY}`,
      ...report(on, off, rowsOn, rowsOff),
    };
  } finally {
    for (const side of sides) await side.client.close();
    await gated.close();
    await ungated.close();
  }
}
