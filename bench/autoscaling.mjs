import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { coldStartMetric, measureColdStarts } from './lib/cold-start.mjs';
import { figure, infoFigure } from './lib/figure.mjs';
import { benchGgufLabel, llmThreads, withBenchGguf } from './lib/gguf-model.mjs';
import { runLoops, timeSequential } from './lib/load-loops.mjs';
import { buildMatMulChain } from './lib/model-builders.mjs';
import { binaryInferRequest, inferClient } from './lib/oip-client.mjs';
import { percentile, round } from './lib/percentiles.mjs';
import { machineShare } from './lib/proc-cpu.mjs';
import { pollScaling, scalingSummary } from './lib/scaling-poll.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { squeezenetModel } from './lib/squeezenet-model.mjs';
import { taskApi } from './lib/task-api.mjs';
import { randomFloats } from './lib/tensor-data.mjs';

/** Scales to zero after a second idle; one instance when loaded. */
const TO_ZERO = { minInstances: 0, maxInstances: 1, scaleToZeroAfterSeconds: 1 };
const COLD_RUNS = 3;
const WARM_RUNS = 5;
/** 24 MatMul+Relu layers of 1024² on a [64, 1024] input: about 25 ms a run on one core. */
const CHAIN_LAYERS = 24;
const AUTOSCALED = {
  minInstances: 1,
  maxInstances: 3,
  targetConcurrency: 1,
  stableWindowSeconds: 10,
  panicWindowSeconds: 2,
  scaleDownDelaySeconds: 10,
};
const WARMUP_MS = 1_000;
const BASE_MS = 5_000;
const STEP_MS = 15_000;
/** Goodput is counted from this long after the step (past the 2 s panic window) to its end. */
const SKIP_MS = 3_000;
/** Rounds alternate which deployment goes first, so drift on the machine hits both alike. */
const ROUNDS = 2;

/** Cold and warm latency of one OIP infer on SqueezeNet fp16 (binary), or null when it is absent. */
async function squeezenetColdStart(server, log) {
  const model = squeezenetModel(5);
  if (!model) {
    log('SqueezeNet skipped: the shared model is absent');
    return null;
  }
  const version = await server.api.register('squeezenet', model.bytes);
  await server.api.deploy('squeezenet', 'squeezenet', version, { autoscaling: TO_ZERO });
  const client = inferClient(server.url, server.key);
  const request = binaryInferRequest([model.input], [model.output]);
  try {
    const result = await measureColdStarts(
      server.api,
      'squeezenet',
      () => client.infer('squeezenet', request),
      {
        runs: COLD_RUNS,
        warmRuns: WARM_RUNS,
      },
    );
    log(`SqueezeNet cold ${result.coldMs.join(', ')} ms; warm median ${result.warmMedianMs} ms`);
    return result;
  } finally {
    await client.close();
  }
}

/** Cold and warm latency of a one-token chat completion (not streamed) on make-gguf's 155M model. */
async function ggufColdStart(server, file, log) {
  const version = await server.api.register('llm', await readFile(file));
  await server.api.deploy('llm', 'llm', version, {
    threads: llmThreads,
    llm: { parallel: 1, contextSize: 512 },
    autoscaling: TO_ZERO,
  });
  const api = taskApi(server.url, server.key, 1);
  const body = { model: 'llm', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1, temperature: 0 };
  try {
    const result = await measureColdStarts(
      server.api,
      'llm',
      () => api.json('POST', '/v1/chat/completions', body),
      {
        runs: COLD_RUNS,
        warmRuns: WARM_RUNS,
      },
    );
    log(`GGUF cold ${result.coldMs.join(', ')} ms; warm median ${result.warmMedianMs} ms`);
    return result;
  } finally {
    await api.close();
  }
}

/** The bench's own processes: the API, the deployment's runners (those up now) and this client. */
const benchPids = async (server, name) => [
  server.pid,
  process.pid,
  ...(await server.api.deployment(name)).instances.flatMap((i) => (i.pid ? [i.pid] : [])),
];

/**
 * One deployment of the slow chain under the step: a closed loop at concurrency 1 for BASE_MS,
 * then two more loops (3 in flight) for STEP_MS, while `scaling[]` is polled every 200 ms.
 */
async function stepRound(server, version, name, settings, request) {
  await server.api.deploy(name, 'chain', version, settings);
  const client = inferClient(server.url, server.key, 3);
  const answers = [];
  const call = async () => {
    let ok = true;
    try {
      await client.infer(name, request);
    } catch {
      ok = false;
    }
    answers.push({ at: performance.now(), ok });
  };
  try {
    await runLoops({ concurrency: 1, durationMs: WARMUP_MS, fn: () => client.infer(name, request) });
    const polling = pollScaling(server.api, name);
    const cpu = await machineShare(() => benchPids(server, name));
    const start = performance.now();
    let stepAt = Number.NaN;
    await Promise.all([
      runLoops({ concurrency: 1, durationMs: BASE_MS + STEP_MS, fn: call }),
      sleep(BASE_MS).then(() => {
        stepAt = performance.now();
        return runLoops({ concurrency: 2, durationMs: start + BASE_MS + STEP_MS - stepAt, fn: call });
      }),
    ]);
    const cpuUse = await cpu();
    const scaling = scalingSummary(await polling.stop(), stepAt);
    return { ...countAnswers(answers, start, stepAt), ...cpuUse, scaling };
  } finally {
    await client.close();
    await server.api.undeploy(name);
  }
}

/** Successful answers per second before the step, and in the step's window after the panic window. */
function countAnswers(answers, start, stepAt) {
  const within = (from, to) => answers.filter((a) => a.at >= from && a.at < to);
  const base = within(start, stepAt).filter((a) => a.ok).length;
  const window = within(stepAt + SKIP_MS, stepAt + STEP_MS);
  const good = window.filter((a) => a.ok).length;
  return {
    basePerS: base / ((stepAt - start) / 1000),
    good,
    windowS: (STEP_MS - SKIP_MS) / 1000,
    failed: answers.filter((a) => !a.ok).length,
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Autoscaled vs hand-sized (3 instances) goodput of the chain under the 1× → 3× step, rounds alternating. */
async function goodputStep(server, log) {
  const version = await server.api.register('chain', buildMatMulChain(11, CHAIN_LAYERS));
  const request = binaryInferRequest(
    [{ name: 'x', datatype: 'FP32', shape: [64, 1024], data: randomFloats(64 * 1024, 3) }],
    ['y'],
  );
  const sides = {
    auto: { settings: { autoscaling: AUTOSCALED }, rounds: [] },
    hand: { settings: { instances: 3 }, rounds: [] },
  };
  const single = inferClient(server.url, server.key);
  const deployStart = performance.now();
  await server.api.deploy('single', 'chain', version);
  const deployMs = Math.round(performance.now() - deployStart);
  const latencies = await timeSequential(10, () => single.infer('single', request));
  const runMs = round(percentile(latencies.slice(3), 50), 1);
  await single.close();
  await server.api.undeploy('single');
  log(`chain model: one request ${runMs} ms at concurrency 1; one instance deployed in ${deployMs} ms`);
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of r % 2 === 0 ? ['auto', 'hand'] : ['hand', 'auto']) {
      const result = await stepRound(server, version, `${side}${r}`, sides[side].settings, request);
      sides[side].rounds.push(result);
      log(
        `round ${r + 1}/${ROUNDS} ${side}: ${round(result.good / result.windowS, 1)} req/s after the panic window` +
          (side === 'auto'
            ? `, reached ${result.scaling.reached} (${JSON.stringify(result.scaling.firstAt)})`
            : ''),
      );
    }
  }
  const goodput = (side) =>
    side.rounds.reduce((n, x) => n + x.good, 0) / side.rounds.reduce((s, x) => s + x.windowS, 0);
  return { runMs, deployMs, sides, goodput: { auto: goodput(sides.auto), hand: goodput(sides.hand) } };
}

function coldLines(label, c) {
  return `${label}: cold ${c.coldMedianMs} ms median (${c.coldMs.join(', ')}), warm ${c.warmMedianMs} ms median of ${WARM_RUNS}`;
}

function report({ squeeze, llm, metrics, step }) {
  const auto = step.sides.auto.rounds;
  const toMax = auto.map((x) => x.scaling.firstAt[AUTOSCALED.maxInstances] ?? Number.NaN);
  const figures = [];
  if (squeeze) {
    figures.push(infoFigure('cold start ms, SqueezeNet fp16 OIP infer (median of 3)', squeeze.coldMedianMs));
    figures.push(infoFigure('warm ms, the same SqueezeNet request', squeeze.warmMedianMs));
  }
  figures.push(
    infoFigure('cold start ms, 155M GGUF chat completion, max_tokens 1 (median of 3)', llm.coldMedianMs),
    infoFigure('warm ms, the same GGUF request', llm.warmMedianMs),
    figure(
      'autoscaled goodput ÷ hand-sized goodput (3× phase, after the panic window)',
      step.goodput.auto / step.goodput.hand,
      '>=',
      0.9,
    ),
    infoFigure(
      `autoscaled: ms from the 1× → 3× step to ${AUTOSCALED.maxInstances} instances serving (median)`,
      percentile(toMax.filter(Number.isFinite), 50),
    ),
  );
  const sideLine = (name, side) =>
    `${name}: ${round(step.goodput[name], 1)} req/s after the panic window (rounds: ` +
    side.rounds
      .map(
        (x) =>
          `${round(x.good / x.windowS, 1)}, ${round(x.basePerS, 1)} req/s at 1×, ${x.failed} failed, machine ${x.busyPercent} % busy (${x.ownPercent} % of it the bench's)`,
      )
      .join('; ') +
    ')';
  const at = (times, n) => (times[n] === undefined || times[n] === null ? '—' : `${times[n]} ms`);
  const scalingLine = (x, i) =>
    `autoscaled round ${i + 1}: reached ${x.scaling.reached} instances; wanted 2 / 3 at ` +
    `${at(x.scaling.wantedAt, 2)} / ${at(x.scaling.wantedAt, 3)}, serving 2 / 3 at ` +
    `${at(x.scaling.firstAt, 2)} / ${at(x.scaling.firstAt, 3)} after the step (polled every 200 ms)`;
  return {
    figures,
    raw: {
      squeeze,
      llm,
      coldStartMetrics: metrics,
      chain: { layers: CHAIN_LAYERS, runMs: step.runMs, deployMs: step.deployMs },
      step,
    },
    lines: [
      ...(squeeze
        ? [coldLines('SqueezeNet fp16 OIP infer', squeeze)]
        : ['SqueezeNet: skipped (model absent)']),
      coldLines(`${benchGgufLabel}, chat max_tokens 1`, llm),
      `server's modelport_cold_start_duration_seconds (first held request → ready): ` +
        Object.entries(metrics)
          .map(([d, m]) => `${d} sum ${m.sumS} s / count ${m.count} = ${m.meanMs} ms`)
          .join('; '),
      `step: chain of ${CHAIN_LAYERS} MatMuls (${step.runMs} ms a request alone; one instance deployed in ${step.deployMs} ms), threads 1; c=1 for ${BASE_MS / 1000} s, ` +
        `then c=3 for ${STEP_MS / 1000} s; goodput counted ${SKIP_MS / 1000}–${STEP_MS / 1000} s after the step, ${ROUNDS} rounds`,
      sideLine('auto', step.sides.auto),
      sideLine('hand', step.sides.hand),
      ...auto.map(scalingLine),
    ],
  };
}

/**
 * Issue 15's performance figures: cold start after scale to zero (SqueezeNet, a 155M GGUF), and
 * goodput of an autoscaled deployment under a 1× → 3× step against one sized by hand for the peak.
 */
export async function autoscaling({ log }) {
  const server = await startServerProcess();
  try {
    const squeeze = await squeezenetColdStart(server, log);
    const llm = await withBenchGguf((file) => ggufColdStart(server, file, log));
    const text = await server.api.metrics();
    const metrics = Object.fromEntries(
      [...(squeeze ? ['squeezenet'] : []), 'llm'].map((d) => [d, coldStartMetric(text, d)]),
    );
    for (const d of Object.keys(metrics)) await server.api.undeploy(d);
    const step = await goodputStep(server, log);
    return {
      id: 'autoscaling',
      title: 'Autoscaling: cold start after scale to zero, goodput under a 1× → 3× step',
      ...report({ squeeze, llm, metrics, step }),
    };
  } finally {
    await server.close();
  }
}
