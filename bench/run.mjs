import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { artifactStoreLoad } from './artifact-store-load.mjs';
import { autoscaling } from './autoscaling.mjs';
import { batchingThroughput } from './batching-throughput.mjs';
import { binaryVsJsonCpu } from './binary-vs-json-cpu.mjs';
import { consoleBundle } from './console-bundle.mjs';
import { flaskBaseline } from './flask-baseline.mjs';
import { gatewayOverhead } from './gateway-overhead.mjs';
import { healthUnderLoad } from './health-under-load.mjs';
import { jsonDecode } from './json-decode.mjs';
import { ledgerRows } from './ledger-rows.mjs';
import { repoRoot } from './lib/paths.mjs';
import { formatReport } from './lib/print-report.mjs';
import { closeAllServers } from './lib/server-process.mjs';
import { llmDecode } from './llm-decode.mjs';
import { llmParallel } from './llm-parallel.mjs';
import { overloadGoodput } from './overload-goodput.mjs';
import { replicasHaproxy } from './replicas-haproxy.mjs';
import { servingLatency } from './serving-latency.mjs';
import { tasksImage } from './tasks-image.mjs';
import { tasksTranscribe } from './tasks-transcribe.mjs';
import { trainerLenetStep } from './trainer-lenet-step.mjs';
import { trainingEpoch } from './training-epoch.mjs';
import { variantRouting } from './variant-routing.mjs';

/** In run order; each returns `{ id, title, figures, raw, lines }`. Add new benchmarks here. */
const benchmarks = [
  ['serving-latency', servingLatency],
  ['batching-throughput', batchingThroughput],
  ['binary-vs-json-cpu', binaryVsJsonCpu],
  ['json-decode', jsonDecode],
  ['flask-baseline', flaskBaseline],
  ['health-under-load', healthUnderLoad],
  ['llm-decode', llmDecode],
  ['llm-parallel', llmParallel],
  ['tasks-image', tasksImage],
  ['tasks-transcribe', tasksTranscribe],
  ['gateway-overhead', gatewayOverhead],
  ['ledger-rows', ledgerRows],
  ['variant-routing', variantRouting],
  ['autoscaling', autoscaling],
  ['console-bundle', consoleBundle],
  ['artifact-store-load', artifactStoreLoad],
  ['replicas-haproxy', replicasHaproxy],
  ['overload-goodput', overloadGoodput],
  ['training-epoch', trainingEpoch],
  ['trainer-lenet-step', trainerLenetStep],
];

function gitRevision() {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** For packages whose exports hide their package.json. */
function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8'))
      .version;
  } catch {
    return 'unknown';
  }
}

function environment() {
  const ortVersion = createRequire(import.meta.url)('onnxruntime-node/package.json').version;
  return {
    revision: gitRevision(),
    node: process.version,
    onnxruntimeNode: ortVersion,
    nodeLlamaCpp: packageVersion('node-llama-cpp'),
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    // Other work on the machine skews every figure; this shows how busy it was before the bench.
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

process.once('SIGINT', async () => {
  await closeAllServers();
  process.exit(130);
});

// `node bench/run.mjs batching health` runs only the benchmarks whose id contains a word given.
const only = process.argv.slice(2);
const selected = benchmarks.filter(([id]) => only.length === 0 || only.some((w) => id.includes(w)));
const env = environment();
const log = (id) => (message) => process.stderr.write(`  [${id}] ${message}\n`);
process.stderr.write(
  `Modelport bench: ${env.cores} cores, Node ${env.node}, onnxruntime-node ${env.onnxruntimeNode}, ` +
    `load average ${env.loadAverageAtStart.join(' ')}\n`,
);

const results = [];
const started = performance.now();
for (const [id, run] of selected) {
  const t = performance.now();
  process.stderr.write(`${id}…\n`);
  try {
    results.push({
      ...(await run({ log: log(id) })),
      seconds: Math.round((performance.now() - t) / 100) / 10,
    });
  } catch (err) {
    results.push({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
  // A failed benchmark must not leave its server running into the next one.
  await closeAllServers();
}
const totalSeconds = Math.round((performance.now() - started) / 100) / 10;

process.stdout.write(`\n${formatReport(results)}\ntotal ${totalSeconds} s\n`);
const file = path.join(os.tmpdir(), 'modelport-bench-latest.json');
await writeFile(
  file,
  `${JSON.stringify({ at: new Date().toISOString(), environment: env, totalSeconds, results }, null, 2)}\n`,
);
process.stdout.write(`JSON: ${file}\n`);
// Missed goals are reported, not enforced; only a benchmark that could not run fails the command.
process.exit(results.some((r) => r.error) ? 1 : 0);
