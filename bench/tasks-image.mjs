import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { figure, infoFigure } from './lib/figure.mjs';
import { runLoops } from './lib/load-loops.mjs';
import { createSession, ort } from './lib/ort-session.mjs';
import { repoRoot, serverDist, squeezenetPath } from './lib/paths.mjs';
import { round, summarize } from './lib/percentiles.mjs';
import { withCpu } from './lib/proc-cpu.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { multipartForm, taskApi } from './lib/task-api.mjs';

const { float32ArrayToHalf, halfToFloat } = await import(serverDist('wire/oip/index.js'));

const modelDir = path.join(repoRoot, '../shared/models/squeezenet1.0-fp16');
const imagePath = path.join(modelDir, 'kitten_224.png');
const labelsPath = path.join(modelDir, 'labels.txt');

const CONCURRENCY = 2;
/**
 * In-process, two concurrent `session.run()` calls use both cores; the server gets the same
 * parallelism from two runner instances of one thread each (one instance runs one batch at a time).
 */
const INSTANCES = 2;
const WARMUP = 20;
const BLOCKS = 3;
const BLOCK_MS = 3_000;
const SIZE = 224;

/** `index,label[, synonyms]` per line → the label. */
function readLabels() {
  return readFileSync(labelsPath, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => line.split(',')[1]?.trim() ?? line.trim());
}

/** What the runner does, in this process: decode, resize, BGR planes as FP16, run, top 5. */
function inProcessClassifier(session, labels) {
  const [input] = session.inputNames;
  const [output] = session.outputNames;
  const plane = SIZE * SIZE;
  return async (bytes) => {
    const { data } = await sharp(bytes)
      .autoOrient()
      .resize(SIZE, SIZE, { fit: 'cover' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    // The same conversion the server's pipeline uses: BGR planes, then float32 → half in bulk.
    const planes = new Float32Array(3 * plane);
    for (let c = 0; c < 3; c++) {
      const source = 2 - c;
      for (let p = 0; p < plane; p++) planes[c * plane + p] = data[p * 3 + source];
    }
    const halves = float32ArrayToHalf(planes);
    const result = await session.run({ [input]: new ort.Tensor('float16', halves, [1, 3, SIZE, SIZE]) });
    // The model ends in a softmax: its output is already probabilities.
    const scores = Float64Array.from(result[output].data, halfToFloat);
    const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
    return order.slice(0, 5).map((i) => ({ label: labels[i] ?? String(i), score: scores[i] }));
  };
}

/** Images/s through `POST /api/v1/predict` (multipart) ÷ the same pipeline in-process, both at concurrency 2. */
export async function tasksImage({ log }) {
  const id = 'tasks-image';
  if (![squeezenetPath, imagePath, labelsPath].every(existsSync)) {
    log(`skipped: the shared SqueezeNet (${modelDir}) is absent`);
    return {
      id,
      title: 'Image classification task API (skipped: model absent)',
      figures: [],
      raw: {},
      lines: [],
    };
  }
  const labels = readLabels();
  const image = readFileSync(imagePath);
  const modelBytes = readFileSync(squeezenetPath);
  const server = await startServerProcess();
  const api = taskApi(server.url, server.key, CONCURRENCY);
  let session;
  try {
    await api.json('POST', '/api/v1/models', { name: 'squeezenet', task: 'image-classification' });
    const { version } = await api.upload('squeezenet', modelBytes);
    await api.json('PATCH', `/api/v1/models/squeezenet/versions/${version}`, {
      config: {
        image: { channels: 'BGR', scale: 1, dtype: 'FP16' },
        labels,
        outputKind: 'probabilities',
      },
    });
    const deployment = await api.json('POST', '/api/v1/deployments', {
      model: 'squeezenet',
      threads: 1,
      instances: INSTANCES,
    });
    session = await createSession(modelBytes);

    const form = multipartForm({}, { bytes: image, filename: 'kitten_224.png', type: 'image/png' });
    const viaServer = () => api.form('/api/v1/predict/squeezenet', form);
    const classify = inProcessClassifier(session, labels);
    const inProcess = () => classify(image);

    for (let i = 0; i < WARMUP; i++) await Promise.all([viaServer(), inProcess()]);
    const remoteTop = (await viaServer()).predictions;
    const localTop = await inProcess();
    // Same image, same preprocessing: a different top class means the two sides do different work.
    if (remoteTop[0]?.label !== localTop[0]?.label)
      throw new Error(`top class differs: server ${remoteTop[0]?.label}, in-process ${localTop[0]?.label}`);
    log(`top-1: ${localTop[0].label} (${round(localTop[0].score)})`);

    // Alternating blocks, so load from elsewhere on the machine hits both sides alike.
    const remoteRuns = { latencies: [], count: 0, elapsedS: 0 };
    const localRuns = { latencies: [], count: 0, elapsedS: 0 };
    const add = (side, r) => {
      side.latencies.push(...r.latencies);
      side.count += r.count;
      side.elapsedS += r.elapsedS;
    };
    const runnerPids = Object.fromEntries(deployment.instances.map((r, i) => [`runner${i}`, r.pid]));
    const pids = { api: server.pid, ...runnerPids, client: process.pid };
    const cpuMs = Object.fromEntries([...Object.keys(pids), 'machine'].map((k) => [k, 0]));
    for (let b = 0; b < BLOCKS; b++) {
      const block = await withCpu(pids, () =>
        runLoops({ concurrency: CONCURRENCY, durationMs: BLOCK_MS, fn: viaServer }),
      );
      add(remoteRuns, block.result);
      for (const k of Object.keys(cpuMs)) cpuMs[k] += block.cpuMs[k];
      add(localRuns, await runLoops({ concurrency: CONCURRENCY, durationMs: BLOCK_MS, fn: inProcess }));
    }
    const runnersMs = Object.keys(runnerPids).reduce((sum, k) => sum + cpuMs[k], 0);
    const cpuPerImageMs = Object.fromEntries(
      Object.entries({ ...cpuMs, runners: runnersMs }).map(([k, ms]) => [k, round(ms / remoteRuns.count, 1)]),
    );
    const remotePerS = remoteRuns.count / remoteRuns.elapsedS;
    const localPerS = localRuns.count / localRuns.elapsedS;
    const remote = summarize(remoteRuns.latencies);
    const inproc = summarize(localRuns.latencies);
    return {
      id,
      title: `Image classification task API, SqueezeNet fp16, ${path.basename(imagePath)}, concurrency ${CONCURRENCY}`,
      figures: [
        figure('image predict images/s ÷ in-process images/s', remotePerS / localPerS, '>=', 0.8),
        infoFigure('image predict p50 ms', remote.p50Ms),
      ],
      raw: {
        server: { perSecond: round(remotePerS), ...remote },
        inProcess: { perSecond: round(localPerS), ...inproc },
        cpuPerImageMs,
        top5: remoteTop,
      },
      lines: [
        `server      ${round(remotePerS, 1)} images/s  p50 ${remote.p50Ms} ms  p99 ${remote.p99Ms} ms  (n=${remote.n})`,
        `in-process  ${round(localPerS, 1)} images/s  p50 ${inproc.p50Ms} ms  p99 ${inproc.p99Ms} ms  (n=${inproc.n})`,
        `CPU per server image: api ${cpuPerImageMs.api} ms, runners ${cpuPerImageMs.runners} ms, ` +
          `bench client ${cpuPerImageMs.client} ms, whole machine ${cpuPerImageMs.machine} ms`,
        `top-1 ${remoteTop[0].label} ${round(remoteTop[0].score)}; server: ${INSTANCES} runners of 1 thread; ` +
          `in-process: 1 session, 1 intra-op thread, ${CONCURRENCY} runs at once`,
      ],
    };
  } finally {
    await api.close();
    await session?.release();
    await server.close();
  }
}
