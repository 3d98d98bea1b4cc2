import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBackgroundLoad } from './lib/background-load.mjs';
import { figure } from './lib/figure.mjs';
import { timeSequential } from './lib/load-loops.mjs';
import { buildMlp } from './lib/model-builders.mjs';
import { binaryInferRequest, inferClient } from './lib/oip-client.mjs';
import { round, summarize } from './lib/percentiles.mjs';
import { coreShares, withCpu } from './lib/proc-cpu.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { squeezenetModel } from './lib/squeezenet-model.mjs';
import { randomFloats } from './lib/tensor-data.mjs';

const LOAD_LOOPS = 4;
/** Rounds alternate idle and loaded so background load on the machine hits both alike. */
const ROUNDS = 5;
const PROBES_PER_ROUND = 100;
const SETTLE_MS = 500;

function loadModel() {
  const shared = squeezenetModel(4);
  if (shared) return shared;
  return {
    label: 'MLP 1024→4096→16',
    bytes: buildMlp(),
    input: { name: 'x', datatype: 'FP32', shape: [1, 1024], data: randomFloats(1024, 4) },
    output: 'y',
  };
}

/** p99 of `GET /v2/health/live` while inference keeps the runner busy, against the same when idle. */
export async function healthUnderLoad({ log }) {
  const model = loadModel();
  const server = await startServerProcess();
  const probe = inferClient(server.url, server.key);
  try {
    const deployment = await server.api.registerAndDeploy('busy', model.bytes);
    const request = binaryInferRequest([model.input], [model.output]);
    const health = () => probe.get('/v2/health/live');
    await timeSequential(50, health);

    const idle = [];
    const loaded = [];
    const loadRates = [];
    const pids = { api: server.pid, runner: deployment.instances[0].pid, client: process.pid };
    const cpuMs = {};
    let wallMs = 0;
    for (let r = 0; r < ROUNDS; r++) {
      idle.push(...(await timeSequential(PROBES_PER_ROUND, health)));
      const load = await startBackgroundLoad({
        url: server.url,
        key: server.key,
        model: 'busy',
        request,
        concurrency: LOAD_LOOPS,
      });
      await sleep(SETTLE_MS);
      const measured = await withCpu(pids, () => timeSequential(PROBES_PER_ROUND, health));
      loaded.push(...measured.result);
      for (const [k, v] of Object.entries(measured.cpuMs)) cpuMs[k] = (cpuMs[k] ?? 0) + v;
      wallMs += measured.wallMs;
      loadRates.push((await load.stop()).perSecond);
    }
    const idleStats = summarize(idle);
    const loadedStats = summarize(loaded);
    const cpu = coreShares(cpuMs, wallMs);
    const inferPerS = round(loadRates.reduce((a, b) => a + b, 0) / loadRates.length, 1);
    log(`health p99 idle ${idleStats.p99Ms} ms, under load ${loadedStats.p99Ms} ms`);
    return {
      id: 'health-under-load',
      title: `/v2/health/live while ${LOAD_LOOPS} loops keep ${model.label} busy`,
      figures: [figure('health p99 under load ÷ idle', loadedStats.p99Ms / idleStats.p99Ms, '<=', 2.0)],
      raw: { model: model.label, idle: idleStats, underLoad: loadedStats, inferPerS, cpuPercentOfCore: cpu },
      lines: [
        `idle        p50 ${idleStats.p50Ms} ms  p99 ${idleStats.p99Ms} ms  (n=${idleStats.n})`,
        `under load  p50 ${loadedStats.p50Ms} ms  p99 ${loadedStats.p99Ms} ms  (n=${loadedStats.n})  ` +
          `while ${inferPerS} infer/s`,
        `CPU % of a core under load: api ${cpu.api}, runner ${cpu.runner}, bench ${cpu.client}; ` +
          `machine busy ${cpu.machine}% of ${os.availableParallelism() * 100}%`,
      ],
    };
  } finally {
    await probe.close();
    await server.close();
  }
}
