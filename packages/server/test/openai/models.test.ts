import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAiTestApp, startOpenAiTestApp } from '../support/openai-test-app.js';

describe('GET /v1/models', () => {
  let t: OpenAiTestApp;
  beforeAll(async () => {
    t = await startOpenAiTestApp();
  });
  afterAll(() => t.close());

  it('lists the models the key may call', async () => {
    const res = await fetch(`${t.url}/v1/models`, { headers: { authorization: 'Bearer x' } });
    expect(await res.json()).toEqual({
      object: 'list',
      data: [
        { id: 'tiny-llm', object: 'model', created: 1_700_000_000, owned_by: 'acme' },
        { id: 'embedder', object: 'model', created: 1_700_000_100, owned_by: 'acme' },
      ],
    });
  });

  it('pages through the SDK', async () => {
    const ids: string[] = [];
    for await (const model of t.client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['tiny-llm', 'embedder']);
  });

  it('retrieves one model, and 404s an unknown one', async () => {
    expect(await t.client.models.retrieve('embedder')).toMatchObject({ id: 'embedder', object: 'model' });
    const err = await t.client.models.retrieve('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
