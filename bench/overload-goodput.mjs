import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { Pool } from 'undici';
import { figure, infoFigure } from './lib/figure.mjs';
import { binaryInferRequest } from './lib/oip-client.mjs';
import { squeezenetPath } from './lib/paths.mjs';
import { percentile } from './lib/percentiles.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { squeezenetModel } from './lib/squeezenet-model.mjs';
import { multipartForm, taskApi } from './lib/task-api.mjs';

const CAPACITY_CALLERS = 2;
const OVERLOAD_CALLERS = 64;
const DURATION_MS = 8_000;
const QUEUE = 4;
const KITTEN = path.join(path.dirname(squeezenetPath), 'kitten_224.png');

/** Callers in closed loops for DURATION_MS on `request.path`: answers per second, and how long refusals took. */
async function drive(server, request, callers, honourRetryAfter = true) {
  const pool = new Pool(server.url, { connections: callers });
  let ok = 0;
  const refusals = [];
  let other = 0;
  const start = performance.now();
  const loop = async () => {
    while (performance.now() - start < DURATION_MS) {
      const t = performance.now();
      const res = await pool.request({
        method: 'POST',
        path: request.path,
        headers: { authorization: `Bearer ${server.key}`, ...request.headers },
        body: request.body,
      });
      await res.body.dump();
      if (res.statusCode === 200) ok++;
      else if (res.statusCode === 503) {
        refusals.push(performance.now() - t);
        if (!honourRetryAfter) continue;
        // As the SDK and well-behaved clients do: wait what Retry-After asks before trying again.
        const wait = Number(res.headers['retry-after'] ?? 1) * 1000;
        await new Promise((r) => setTimeout(r, Math.min(wait, start + DURATION_MS - performance.now())));
      } else other++;
    }
  };
  await Promise.all(Array.from({ length: callers }, loop));
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  return { perSecond: ok / seconds, refusals, other };
}

/**
 * Goodput under overload: 64 callers sending 300 KB binary SqueezeNet requests to one instance
 * with a queue of 4, each waiting what `Retry-After` asks after a 503 (as the SDK does), ÷ the
 * capacity 2 callers get. Past the queue a request is refused before its body is read, so refusals
 * cost little and the instance keeps its pace.
 */
export async function overloadGoodput({ log }) {
  const model = squeezenetModel(3);
  if (!model) {
    log('skipped: the shared SqueezeNet model is absent');
    return {
      id: 'overload-goodput',
      title: 'Goodput under overload (skipped)',
      figures: [],
      raw: {},
      lines: [],
    };
  }
  const server = await startServerProcess();
  try {
    await server.api.register('squeezenet', model.bytes);
    await server.api.deploy('squeezenet', 'squeezenet', 1, { maxQueueSize: QUEUE });
    const request = {
      path: '/v2/models/squeezenet/infer',
      ...binaryInferRequest([model.input], [model.output]),
    };
    await drive(server, request, 1);
    const capacity = await drive(server, request, CAPACITY_CALLERS);
    const overload = await drive(server, request, OVERLOAD_CALLERS);
    const hammering = await drive(server, request, OVERLOAD_CALLERS, false);
    const predict = await predictVariant(server, model.bytes);
    const p99 = percentile(overload.refusals, 99);
    log(
      `capacity ${capacity.perSecond.toFixed(1)} req/s at ${CAPACITY_CALLERS} callers; ` +
        `${overload.perSecond.toFixed(1)} req/s answered at ${OVERLOAD_CALLERS} callers with ` +
        `${overload.refusals.length} refusals (p99 ${p99?.toFixed(1)} ms), ${overload.other} other answers`,
    );
    return {
      id: 'overload-goodput',
      title: `Goodput of ${OVERLOAD_CALLERS} callers ÷ capacity (SqueezeNet fp16, 300 KB binary, queue ${QUEUE})`,
      figures: [
        figure('goodput under overload ÷ capacity', overload.perSecond / capacity.perSecond, '>=', 0.9),
        infoFigure('refusal p99 ms', p99 ?? Number.NaN),
        infoFigure(
          'the same, callers retrying at once (ignoring Retry-After) ÷ capacity',
          hammering.perSecond / capacity.perSecond,
        ),
        infoFigure('refusals', overload.refusals.length),
        ...(predict
          ? [
              figure(
                `predict (${predict.kib} KiB PNG, multipart) goodput under overload ÷ capacity`,
                predict.overload.perSecond / predict.capacity.perSecond,
                '>=',
                0.9,
              ),
              infoFigure('predict refusal p50 ms', percentile(predict.overload.refusals, 50) ?? Number.NaN),
              infoFigure('predict refusal p99 ms', percentile(predict.overload.refusals, 99) ?? Number.NaN),
            ]
          : []),
      ],
      raw: {
        capacity,
        overload: { ...overload, refusals: overload.refusals.length },
        ...(predict
          ? {
              predict: {
                capacity: predict.capacity,
                overload: { ...predict.overload, refusals: predict.overload.refusals.length },
              },
            }
          : {}),
      },
      lines: [],
    };
  } finally {
    await server.close();
  }
}

/**
 * The same overload on `POST /api/v1/predict/squeezenet`: the kitten as a 448×448 PNG in a
 * multipart form (decoded and resized by the runner), one instance with a queue of QUEUE.
 */
async function predictVariant(server, modelBytes) {
  if (!existsSync(KITTEN)) return undefined;
  const api = taskApi(server.url, server.key);
  try {
    await api.json('POST', '/api/v1/models', { name: 'squeezenet-task', task: 'image-classification' });
    const { version } = await api.upload('squeezenet-task', modelBytes);
    await api.json('PATCH', `/api/v1/models/squeezenet-task/versions/${version}`, {
      config: { image: { channels: 'BGR', scale: 1, dtype: 'FP16' }, outputKind: 'probabilities' },
    });
  } finally {
    await api.close();
  }
  await server.api.deploy('squeezenet-task', 'squeezenet-task', 1, { maxQueueSize: QUEUE });
  const png = await sharp(readFileSync(KITTEN)).resize(448, 448).png({ compressionLevel: 1 }).toBuffer();
  const form = multipartForm({}, { bytes: png, filename: 'kitten.png', type: 'image/png' });
  const request = { path: '/api/v1/predict/squeezenet-task', headers: form.headers, body: form.body };
  await drive(server, request, 1);
  const capacity = await drive(server, request, CAPACITY_CALLERS);
  const overload = await drive(server, request, OVERLOAD_CALLERS);
  return { kib: Math.round(form.body.length / 1024), capacity, overload };
}
