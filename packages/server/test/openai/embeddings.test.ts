import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING } from '../support/fake-llm-gateway.js';
import { type OpenAiTestApp, startOpenAiTestApp } from '../support/openai-test-app.js';

describe('POST /v1/embeddings', () => {
  let t: OpenAiTestApp;
  beforeAll(async () => {
    t = await startOpenAiTestApp();
  });
  afterAll(() => t.close());

  it('returns float vectors in the CreateEmbeddingResponse shape', async () => {
    const res = await t.client.embeddings.create({
      model: 'embedder',
      input: ['one', 'two'],
      encoding_format: 'float',
    });
    expect(res).toEqual({
      object: 'list',
      model: 'embedder',
      data: [
        { object: 'embedding', index: 0, embedding: EMBEDDING },
        { object: 'embedding', index: 1, embedding: EMBEDDING.map((v) => v + 1) },
      ],
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
    expect(t.gateway.embedCalls.at(-1)).toEqual({ input: ['one', 'two'] });
  });

  it('sends base64 the SDK decodes by default (it asks for base64 unless told otherwise)', async () => {
    const res = await t.client.embeddings.create({ model: 'embedder', input: 'one' });
    expect(res.data[0]?.embedding).toEqual(EMBEDDING);
    expect(t.gateway.embedCalls.at(-1)).toEqual({ input: ['one'] });
  });

  it('encodes base64 as little-endian float32', async () => {
    const res = await t.post('/v1/embeddings', {
      model: 'embedder',
      input: 'one',
      encoding_format: 'base64',
    });
    const body = (await res.json()) as { data: { embedding: string }[] };
    const bytes = Buffer.from(body.data[0]?.embedding ?? '', 'base64');
    expect(bytes.length).toBe(EMBEDDING.length * 4);
    expect(EMBEDDING.map((_, i) => bytes.readFloatLE(i * 4))).toEqual(EMBEDDING);
  });

  it('accepts dimensions equal to the model’s own', async () => {
    const res = await t.client.embeddings.create({
      model: 'embedder',
      input: 'x',
      dimensions: EMBEDDING.length,
      encoding_format: 'float',
    });
    expect(res.data[0]?.embedding).toHaveLength(EMBEDDING.length);
  });

  it.each([
    ['other dimensions', { input: 'x', dimensions: 2 }, 'dimensions'],
    ['an empty string', { input: '' }, 'input'],
    ['an empty string in a list', { input: ['a', ''] }, 'input.1'],
    ['an empty list', { input: [] }, 'input'],
    ['2049 inputs', { input: Array.from({ length: 2049 }, () => 'a') }, 'input'],
    ['token inputs', { input: [1, 2, 3] }, 'input'],
    ['lists of token inputs', { input: [[1, 2]] }, 'input'],
    ['an unknown encoding', { input: 'x', encoding_format: 'hex' }, 'encoding_format'],
  ])('refuses %s with 400', async (_name, patch, param) => {
    const body = { model: 'embedder', encoding_format: 'float', ...patch } as OpenAI.EmbeddingCreateParams;
    const err = await t.client.embeddings.create(body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err).toMatchObject({ status: 400, param });
  });

  it('embeds with text-generation models too (the gateway decides the backend)', async () => {
    const res = await t.client.embeddings.create({ model: 'tiny-llm', input: 'x', encoding_format: 'float' });
    expect(res.data).toHaveLength(1);
  });
});
