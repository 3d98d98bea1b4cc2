import OpenAI from 'openai';
import { create as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';
import { HIDDEN, type TinyBertFolders, writeTinyBert } from './support/tiny-bert.js';

const json = { 'content-type': 'application/json' };

async function tarOf(folder: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createTar({ cwd: folder, portable: true }, ['.']))
    chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function serve(t: TestServer, name: string, task: string, folder: string): Promise<void> {
  await t.fetch('/api/v1/models', { method: 'POST', headers: json, body: JSON.stringify({ name, task }) });
  const up = await t.fetch(`/api/v1/models/${name}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-tar' },
    body: await tarOf(folder),
  });
  if (up.status !== 201) throw new Error(`upload ${name}: ${await up.text()}`);
  const dep = await t.fetch('/api/v1/deployments', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ model: name }),
  });
  if (dep.status !== 201) throw new Error(`deploy ${name}: ${await dep.text()}`);
}

describe('text models uploaded as folders, served through transformers.js runners', () => {
  let t: TestServer;
  let folders: TinyBertFolders;
  beforeAll(async () => {
    folders = await writeTinyBert();
    t = await startTestServer();
    await serve(t, 'sentiment', 'text-classification', folders.classifier);
    await serve(t, 'encoder', 'feature-extraction', folders.encoder);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await folders.cleanup();
  });

  it('classifies texts with the labels of config.json', async () => {
    const res = await t.fetch('/api/v1/predict/sentiment', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ text: ['this movie was great', 'this film was bad'] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { predictions: { label: string; score: number }[][] };
    expect(body.predictions).toHaveLength(2);
    for (const row of body.predictions) {
      expect(row.map((p) => p.label).sort()).toEqual(['NEGATIVE', 'POSITIVE']);
      expect(row.reduce((s, p) => s + p.score, 0)).toBeCloseTo(1, 5);
    }
  });

  it('embeds texts through the OpenAI embeddings route, float and base64', async () => {
    const client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: t.adminKey, maxRetries: 0 });
    const floats = await client.embeddings.create({
      model: 'encoder',
      input: ['a movie', 'a book'],
      encoding_format: 'float',
    });
    expect(floats.data.map((d) => d.embedding.length)).toEqual([HIDDEN, HIDDEN]);
    const b64 = await client.embeddings.create({ model: 'encoder', input: ['a movie', 'a book'] });
    expect(b64.data[0]?.embedding[0]).toBeCloseTo(floats.data[0]?.embedding[0] ?? Number.NaN, 5);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('refuses chat on an encoder and embeddings on a classifier', async () => {
    const chat = await t.fetch('/v1/chat/completions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'encoder', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(400);
    const embed = await t.fetch('/v1/embeddings', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'sentiment', input: 'hi' }),
    });
    expect(embed.status).toBe(400);
  });
});
