import { figure } from './lib/figure.mjs';
import { runLoops } from './lib/load-loops.mjs';
import { buildAdder, buildFailingAdder } from './lib/model-builders.mjs';
import { inferClient, jsonInferRequest } from './lib/oip-client.mjs';
import { round, summarize } from './lib/percentiles.mjs';
import { startServerProcess } from './lib/server-process.mjs';

const CONCURRENCY = 8;
const WARMUP_MS = 1_000;
/** Rounds alternate the two deployments (and which goes first) so background load hits both alike. */
const ROUNDS = 6;
const ROUND_MS = 2_000;
/** The rollback measurement's guardrails: judged every second, one breach is enough. */
const INTERVAL_S = 1;
const MIN_SAMPLES = 20;

const request = jsonInferRequest([
  { name: 'x', datatype: 'FP32', shape: [1, 4], data: Float32Array.of(1, 2, 3, 4) },
]);

/**
 * Routing among variants costs the split's choice per request and nothing else: req/s of a
 * deployment split 3 ways (three variants of one instance each, weights 50/30/20) against one
 * variant of three instances, same model, same runners, c=8, rounds alternating.
 */
async function routingOverhead(server, log) {
  const version = await server.api.register('adder', buildAdder());
  await server.api.deploy('one', 'adder', version, { instances: 3 });
  await server.api.deploy('three', 'adder', version);
  await server.api.setVariants('three', [
    { variantName: 'a', modelVersion: version, instances: 1, weight: 50 },
    { variantName: 'b', modelVersion: version, instances: 1, weight: 30 },
    { variantName: 'c', modelVersion: version, instances: 1, weight: 20 },
  ]);
  const client = inferClient(server.url, server.key, CONCURRENCY);
  const totals = {
    one: { count: 0, seconds: 0, latencies: [] },
    three: { count: 0, seconds: 0, latencies: [] },
  };
  const measure = (name, durationMs) =>
    runLoops({ concurrency: CONCURRENCY, durationMs, fn: () => client.infer(name, request) });
  await measure('one', WARMUP_MS);
  await measure('three', WARMUP_MS);
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of r % 2 ? ['three', 'one'] : ['one', 'three']) {
      const measured = await measure(name, ROUND_MS);
      totals[name].count += measured.count;
      totals[name].seconds += measured.elapsedS;
      totals[name].latencies.push(...measured.latencies);
    }
    log(`round ${r + 1}/${ROUNDS}`);
  }
  await client.close();
  const rate = (t) => t.count / t.seconds;
  return { totals, ratio: rate(totals.one) / rate(totals.three), rate };
}

/**
 * From the moment a failing canary's breach is measurable (its `minSamples`-th failed answer: the
 * window holds enough samples, all errors) to its last answer (after it, every request is on the
 * baseline): the time a rollback takes to move the traffic, goal ≤ one evaluation interval.
 */
async function rollbackLatency(server, log) {
  await server.api.register('flaky', buildAdder());
  await server.api.deploy('flaky', 'flaky', 1);
  const bad = await server.api.addVersion('flaky', buildFailingAdder());
  const started = await server.api.startRollout('flaky', {
    variants: [{ variantName: 'default', modelVersion: bad, weight: 100 }],
    strategy: { type: 'canary', percent: 20, bakeSeconds: 600 },
    guardrails: {
      intervalSeconds: INTERVAL_S,
      windowSeconds: 30,
      minSamples: MIN_SAMPLES,
      consecutiveBreaches: 1,
      fastFail: null,
    },
  });
  while ((await server.api.rollout('flaky', started.id)).state === 'provisioning') await sleep(50);
  const client = inferClient(server.url, server.key, 4);
  const canaryAnswers = [];
  let done = false;
  const loop = async () => {
    while (!done) {
      try {
        await client.infer('flaky', request);
      } catch (err) {
        // Only the canary fails; its answers carry its revision.
        if (/→ 5\d\d/.test(String(err))) canaryAnswers.push(performance.now());
      }
    }
  };
  const loops = Array.from({ length: 4 }, loop);
  let rollout = await server.api.rollout('flaky', started.id);
  while (rollout.state !== 'rolled_back' && rollout.state !== 'succeeded') {
    await sleep(100);
    rollout = await server.api.rollout('flaky', started.id);
  }
  await sleep(500);
  done = true;
  await Promise.all(loops);
  await client.close();
  const measurable = canaryAnswers[MIN_SAMPLES - 1];
  const last = canaryAnswers.at(-1);
  log(`rollback: ${rollout.state} (${rollout.reason}), ${canaryAnswers.length} canary errors`);
  return {
    state: rollout.state,
    reason: rollout.reason,
    canaryErrors: canaryAnswers.length,
    ms: measurable !== undefined && last !== undefined ? last - measurable : Number.NaN,
  };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function variantRouting({ log }) {
  const server = await startServerProcess();
  try {
    const routing = await routingOverhead(server, log);
    const rollback = await rollbackLatency(server, log);
    const p = (t) => summarize(t.latencies);
    return {
      id: 'variant-routing',
      title: 'Routing among variants, and how fast a rollback moves the traffic',
      figures: [
        figure(
          `one variant req/s ÷ three variants req/s (same model, 3 runners each, c=${CONCURRENCY})`,
          routing.ratio,
          '<=',
          1.03,
        ),
        figure(
          `rollback: breach measurable → all traffic on the baseline, ÷ the evaluation interval (${INTERVAL_S} s)`,
          rollback.ms / (INTERVAL_S * 1000),
          '<=',
          1,
        ),
      ],
      raw: {
        one: { perSecond: round(routing.rate(routing.totals.one), 1), ...p(routing.totals.one) },
        three: { perSecond: round(routing.rate(routing.totals.three), 1), ...p(routing.totals.three) },
        rollback,
      },
      lines: [
        `one variant: ${round(routing.rate(routing.totals.one), 1)} req/s, p50 ${p(routing.totals.one).p50Ms} ms`,
        `three variants: ${round(routing.rate(routing.totals.three), 1)} req/s, p50 ${p(routing.totals.three).p50Ms} ms`,
        `rollback ${rollback.state} (${rollback.reason}) ${round(rollback.ms, 0)} ms after the breach was measurable`,
      ],
    };
  } finally {
    await server.close();
  }
}
