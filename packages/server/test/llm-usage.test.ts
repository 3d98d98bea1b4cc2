import { readFile } from 'node:fs/promises';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployModel } from './support/deploy-model.js';
import { ledgerRowOf } from './support/ledger-rows.js';
import { sharedModelOrNull } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const gguf = sharedModelOrNull('stories260k/stories260K.gguf');
const keyIdOf = (key: string) => `key_${key.slice(4, 16)}`;

describe.skipIf(!gguf)('usage of language-model requests (stories260K)', () => {
  let t: TestServer;
  let client: OpenAI;
  const clientFor = (apiKey: string) => new OpenAI({ baseURL: `${t.url}/v1`, apiKey, maxRetries: 0 });

  beforeAll(async () => {
    t = await startTestServer();
    client = clientFor(t.adminKey);
    await deployModel(
      t,
      { name: 'stories', task: 'text-generation', bytes: await readFile(gguf as string) },
      { threads: 1, llm: { parallel: 2, contextSize: 512 } },
    );
  }, 120_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('records the tokens of a completion as the response reports them', async () => {
    const { data, response } = await client.completions
      .create({ model: 'stories', prompt: 'Once upon a time', max_tokens: 12, temperature: 0 })
      .withResponse();
    const row = await ledgerRowOf(t, response.headers.get('x-request-id') as string);
    expect(row).toMatchObject({
      model: 'stories',
      deployment: 'stories',
      endpoint: 'openai.completions',
      status: '200',
      tokens_in: String(data.usage?.prompt_tokens),
      tokens_out: String(data.usage?.completion_tokens),
    });
  });

  it('records a finished stream with the usage it reported, before [DONE]', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'stories',
        messages: [{ role: 'user', content: 'Tell me a story' }],
        max_tokens: 16,
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    // No waiting: the row was committed before the last event went out.
    const row = await ledgerRowOf(t, response.headers.get('x-request-id') as string, 0);
    expect(row).toMatchObject({
      endpoint: 'openai.chat',
      status: '200',
      tokens_in: String(usage?.prompt_tokens),
      tokens_out: String(usage?.completion_tokens),
    });
  });

  it('records a stream the client cut with the tokens actually sent', async () => {
    const res = await t.fetch('/v1/completions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        model: 'stories',
        prompt: 'Once upon a time',
        max_tokens: 300,
        temperature: 0,
        stream: true,
      }),
    });
    const id = res.headers.get('x-request-id') as string;
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while ((text.match(/"text":"[^"]+"/g) ?? []).length < 5) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const row = await ledgerRowOf(t, id);
    expect(row).toMatchObject({ status: '499', error_code: 'client_closed' });
    expect(Number(row?.tokens_out)).toBeGreaterThanOrEqual(5);
    expect(Number(row?.tokens_out)).toBeLessThan(300);
    expect(Number(row?.tokens_in)).toBeGreaterThan(0);
  });

  it('limits tokens per minute, with the -tokens headers, and counts what completions used', async () => {
    const key = await t.mintKey({ name: 'tpm', scopes: ['infer'], limits: { tokensPerMinute: 40 } });
    const limited = clientFor(key);
    const { response } = await limited.completions
      .create({ model: 'stories', prompt: 'Once upon a time', max_tokens: 50, temperature: 0 })
      .withResponse();
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('40');
    expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(40);
    // Admission holds only the prompt's estimate; the completion's tokens are charged when it
    // ends, which puts the key past its limit: the next request finds no room.
    const over = await limited.completions
      .create({ model: 'stories', prompt: 'Once upon a time', max_tokens: 50 })
      .catch((e: unknown) => e);
    expect(over).toBeInstanceOf(OpenAI.RateLimitError);
    const err = over as InstanceType<typeof OpenAI.RateLimitError>;
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.headers.get('x-ratelimit-limit-tokens')).toBe('40');
    expect(Number(err.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('refuses a spent budget with insufficient_quota in the OpenAI shape, without Retry-After', async () => {
    const price = await t.fetch('/api/v1/models/stories/price', {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ inputPer1kTokens: 1, outputPer1kTokens: 2 }),
    });
    expect(price.status).toBe(200);
    const key = await t.mintKey({ name: 'quota', scopes: ['infer'] });
    const budget = await t.fetch(`/api/v1/budgets/keys/${keyIdOf(key)}`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ limit: 0.001, period: 'month' }),
    });
    expect(budget.status).toBe(200);
    const spender = clientFor(key);
    const { data, response } = await spender.completions
      .create({ model: 'stories', prompt: 'Once upon a time', max_tokens: 20, temperature: 0 })
      .withResponse();
    const row = await ledgerRowOf(t, response.headers.get('x-request-id') as string);
    const expected = ((data.usage?.prompt_tokens ?? 0) * 1 + (data.usage?.completion_tokens ?? 0) * 2) / 1000;
    expect(Number(row?.cost)).toBeCloseTo(expected, 9);
    const refused = await spender.completions
      .create({ model: 'stories', prompt: 'Once upon a time', max_tokens: 20 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const err = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(err.code).toBe('insufficient_quota');
    expect(err.type).toBe('insufficient_quota');
    expect(err.headers.get('retry-after')).toBeNull();
    expect(err.headers.get('x-should-retry')).toBe('false');
    await t.fetch('/api/v1/models/stories/price', { method: 'DELETE' });
  });
});
