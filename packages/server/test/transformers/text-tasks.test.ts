import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessRunner, startInProcessRunner } from '../support/in-process-runner.js';
import {
  embeddingTable,
  HIDDEN,
  LABELS,
  MAX_TOKENS,
  type TinyBertFolders,
  typeTable,
  vocab,
  writeTinyBert,
} from '../support/tiny-bert.js';

let bert: TinyBertFolders;
let dir: string;
const runners: InProcessRunner[] = [];

async function start(folder: string, task: string, taskConfig: object = {}): Promise<InProcessRunner> {
  const runner = await startInProcessRunner({
    backend: 'transformers',
    listen: { socketPath: path.join(dir, `${runners.length}.sock`) },
    modelPath: folder,
    threads: 1,
    maxQueueSize: 4,
    timeoutMs: 10_000,
    maxBodyBytes: 1024 * 1024,
    options: { task, taskConfig },
  });
  runners.push(runner);
  return runner;
}

async function post(runner: InProcessRunner, url: string, payload: object) {
  const res = await runner.server.inject({ method: 'POST', url, payload });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

beforeAll(async () => {
  bert = await writeTinyBert();
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-transformers-'));
});
afterAll(async () => {
  for (const runner of runners) await runner.stop();
  await bert?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Expected hidden state of each token: its word embedding plus the type-0 embedding. */
function tokenVector(token: string): number[] {
  const id = vocab.indexOf(token);
  const words = embeddingTable();
  const types = typeTable();
  return Array.from({ length: HIDDEN }, (_, d) => (words[id * HIDDEN + d] ?? 0) + (types[d] ?? 0));
}

/** Matches vectors equal to `expected` to 6 decimals. */
function closeTo(expected: number[][]): unknown {
  return expected.map((v) => v.map((x) => expect.closeTo(x, 6)));
}

function meanOf(vectors: number[][]): number[] {
  return Array.from(
    { length: HIDDEN },
    (_, d) => vectors.reduce((s, v) => s + (v[d] ?? 0), 0) / vectors.length,
  );
}

describe('text classification through transformers.js (tiny BERT folder)', () => {
  let runner: InProcessRunner;
  beforeAll(async () => {
    runner = await start(bert.classifier, 'text-classification');
  });

  it('reports the task, model type and labels from id2label', async () => {
    const res = await runner.server.inject({ method: 'GET', url: '/v1/info' });
    expect(res.json()).toEqual({
      task: 'text-classification',
      modelType: 'bert',
      labels: [...LABELS],
      dtype: 'fp32',
    });
  });

  it('labels each text, scores summing to 1, and agrees with the transformers.js pipeline itself', async () => {
    const texts = ['I love this movie!', 'This film was awful.', 'the book'];
    const { status, body, headers } = await post(runner, '/v1/predict', {
      task: 'text-classification',
      texts,
      topK: 2,
    });
    expect(status).toBe(200);
    expect(Number(headers['x-compute-ms'])).toBeGreaterThanOrEqual(0);
    const predictions = body.predictions as { label: string; score: number }[][];
    expect(predictions.map((p) => p[0]?.label)).toEqual(['POSITIVE', 'NEGATIVE', 'POSITIVE']);
    for (const p of predictions) {
      expect(p.map((s) => s.label).sort()).toEqual([...LABELS].sort());
      expect(p.reduce((sum, s) => sum + s.score, 0)).toBeCloseTo(1, 6);
    }
    const reference = await pipeline('text-classification', bert.classifier, {
      dtype: 'fp32',
      device: 'cpu',
    });
    try {
      const expected = (await reference(texts, { top_k: 2 })) as { label: string; score: number }[][];
      expect(predictions).toEqual(
        expected.map((p) => p.map((s) => ({ label: s.label, score: expect.closeTo(s.score, 6) }))),
      );
    } finally {
      await reference.dispose();
    }
  });

  it('answers the top 5 labels by default (both here) and topK 1 as one', async () => {
    const all = await post(runner, '/v1/predict', { task: 'text-classification', texts: ['good'] });
    expect(all.body.predictions[0]).toHaveLength(2);
    const one = await post(runner, '/v1/predict', { task: 'text-classification', texts: ['good'], topK: 1 });
    expect(one.body.predictions).toEqual([[{ label: 'POSITIVE', score: expect.any(Number) }]]);
  });

  it('refuses a text over the tokenizer limit, another task, and /v1/embed with 400', async () => {
    const long = Array.from({ length: MAX_TOKENS }, () => 'good').join(' ');
    const tooLong = await post(runner, '/v1/predict', { task: 'text-classification', texts: ['fine', long] });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toEqual({
      code: 'validation_failed',
      error: `texts[1] has ${MAX_TOKENS + 2} tokens; the model takes at most ${MAX_TOKENS}.`,
      param: 'texts',
    });
    const other = await post(runner, '/v1/predict', { task: 'feature-extraction', texts: ['x'] });
    expect(other).toMatchObject({ status: 400, body: { code: 'task_not_supported' } });
    const embed = await post(runner, '/v1/embed', { input: ['x'] });
    expect(embed).toMatchObject({ status: 400, body: { code: 'task_not_supported' } });
    const empty = await post(runner, '/v1/predict', { task: 'text-classification', texts: [] });
    expect(empty).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('uses sigmoid scores for a multi-label model, as transformers does', async () => {
    const multi = await start(bert.multiLabel, 'text-classification');
    const { body } = await post(multi, '/v1/predict', { task: 'text-classification', texts: ['i love it'] });
    const scores = (body.predictions[0] as { score: number }[]).map((s) => s.score);
    for (const s of scores) expect(s).toBeGreaterThan(0);
    expect(scores.reduce((a, b) => a + b, 0)).not.toBeCloseTo(1, 3);
    // Mean of [CLS] i love it [SEP] on dimension 0 is 1/5 plus the type embedding; logits are ±4× that.
    const pooled = meanOf(['[CLS]', 'i', 'love', 'it', '[SEP]'].map(tokenVector))[0] ?? 0;
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(scores.sort()).toEqual(
      [sigmoid(-4 * pooled), sigmoid(4 * pooled + 0.1)].map((s) => expect.closeTo(s, 6)),
    );
  });
});

describe('feature extraction through transformers.js (tiny BERT encoder)', () => {
  let runner: InProcessRunner;
  beforeAll(async () => {
    runner = await start(bert.encoder, 'feature-extraction');
  });

  it('reports the embedding dimension measured at load', async () => {
    const res = await runner.server.inject({ method: 'GET', url: '/v1/info' });
    expect(res.json()).toEqual({
      task: 'feature-extraction',
      modelType: 'bert',
      dimension: HIDDEN,
      dtype: 'fp32',
    });
  });

  it('mean-pools attended tokens only, so padding in a batch changes nothing, and counts tokens', async () => {
    const texts = ['i love this movie', 'bad'];
    const { status, body } = await post(runner, '/v1/predict', { task: 'feature-extraction', texts });
    expect(status).toBe(200);
    expect(body.promptTokens).toBe(6 + 3);
    const expected = [
      meanOf(['[CLS]', 'i', 'love', 'this', 'movie', '[SEP]'].map(tokenVector)),
      meanOf(['[CLS]', 'bad', '[SEP]'].map(tokenVector)),
    ];
    expect(body.embeddings).toEqual(closeTo(expected));
  });

  it('takes cls pooling, normalization, and per-token vectors for one text', async () => {
    const cls = await post(runner, '/v1/predict', {
      task: 'feature-extraction',
      texts: ['good'],
      pooling: 'cls',
    });
    expect(cls.body.embeddings).toEqual(closeTo([tokenVector('[CLS]')]));
    const unit = await post(runner, '/v1/predict', {
      task: 'feature-extraction',
      texts: ['good', 'bad'],
      normalize: true,
    });
    for (const v of unit.body.embeddings as number[][]) expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    const tokens = await post(runner, '/v1/predict', {
      task: 'feature-extraction',
      texts: ['good film'],
      pooling: 'none',
    });
    expect(tokens.body.embeddings).toHaveLength(4);
    const two = await post(runner, '/v1/predict', {
      task: 'feature-extraction',
      texts: ['a', 'b'],
      pooling: 'none',
    });
    expect(two).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('answers /v1/embed in the llama runner shape, with the deployment defaults', async () => {
    const { status, body } = await post(runner, '/v1/embed', { input: ['i love this movie', 'bad'] });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['embeddings', 'promptTokens']);
    const predicted = await post(runner, '/v1/predict', {
      task: 'feature-extraction',
      texts: ['i love this movie', 'bad'],
    });
    expect(body).toEqual({
      embeddings: predicted.body.embeddings,
      promptTokens: predicted.body.promptTokens,
    });
    const normalizing = await start(bert.encoder, 'feature-extraction', { normalize: true, pooling: 'cls' });
    const unit = await post(normalizing, '/v1/embed', { input: ['good'] });
    expect(Math.hypot(...unit.body.embeddings[0])).toBeCloseTo(1, 6);
  });

  it('splits many texts into runs and keeps their order', async () => {
    const words = ['good', 'bad', 'movie', 'film', 'fun'];
    const texts = Array.from({ length: 70 }, (_, i) => words[i % words.length] ?? '');
    const { body } = await post(runner, '/v1/predict', { task: 'feature-extraction', texts });
    expect(body.embeddings).toHaveLength(70);
    expect(body.promptTokens).toBe(70 * 3);
    expect(body.embeddings).toEqual(
      closeTo(texts.map((t) => meanOf(['[CLS]', t, '[SEP]'].map(tokenVector)))),
    );
  });
});
