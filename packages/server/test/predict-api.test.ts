import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelOrNull } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const whisper = sharedModelOrNull('whisper-tiny/Xenova/whisper-tiny/config.json');
const kitten = sharedModelOrNull('squeezenet1.0-fp16/kitten_224.png');

interface Prediction {
  task: string;
  predictions?: { label: string; score: number }[] | Record<string, number | string>[];
  text?: string;
}

describe('task APIs: files and rows in, answers out', () => {
  let t: TestServer;
  beforeAll(async () => {
    // The first start registers and deploys the demo (iris) and, when present, the shared models.
    t = await startTestServer({ demo: true });
    for (const model of ['squeezenet', 'whisper-tiny']) {
      const res = await t.fetch('/api/v1/deployments', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ model }),
      });
      if (res.status !== 201 && res.status !== 404) throw new Error(`deploy ${model}: ${await res.text()}`);
    }
  }, 180_000);
  afterAll(() => t.close());

  it('predicts the species of table rows with the demo model', async () => {
    const res = await t.fetch('/api/v1/predict/iris', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        rows: [
          { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
          { sepal_length: 6.7, sepal_width: 3.0, petal_length: 5.2, petal_width: 2.3 },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Prediction;
    const rows = body.predictions as Record<string, number | string>[];
    expect(rows.map((r) => r.label)).toEqual(['setosa', 'virginica']);
  });

  it('refuses rows with a missing field, and an input the task does not take', async () => {
    const missing = await t.fetch('/api/v1/predict/iris', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ rows: [{ sepal_length: 5.1 }] }),
    });
    expect(missing.status).toBe(400);
    const wrong = await t.fetch('/api/v1/predict/iris', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ text: 'hello' }),
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });

  it.skipIf(!kitten)('sees a tabby in a photo sent as a multipart file', async () => {
    const form = new FormData();
    form.append('file', new Blob([await readFile(kitten as string)]), 'kitten.png');
    form.append('topK', '3');
    const res = await t.fetch('/api/v1/predict/squeezenet', { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { predictions: { label: string }[] };
    expect(body.predictions).toHaveLength(3);
    expect(body.predictions[0]?.label).toContain('tabby');
    const corrupt = await t.fetch('/api/v1/predict/squeezenet', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ image: Buffer.from('not an image at all').toString('base64') }),
    });
    expect([400, 415]).toContain(corrupt.status);
  });

  it.skipIf(!whisper)('transcribes speech in the OpenAI shape, as JSON, text and SRT', async () => {
    const wav = await readFile(
      new URL('../../../../shared/models/samples/hello-world-this-is-a-test.wav', import.meta.url),
    );
    const ask = async (format: string) => {
      const form = new FormData();
      form.append('file', new Blob([wav]), 'hello.wav');
      form.append('model', 'whisper-tiny');
      form.append('response_format', format);
      form.append('language', 'en');
      return t.fetch('/v1/audio/transcriptions', { method: 'POST', body: form });
    };
    const asJson = (await (await ask('json')).json()) as { text: string };
    expect(asJson.text.trim().toLowerCase()).toBe('hello world. this is a test.');
    expect((await (await ask('text')).text()).trim().toLowerCase()).toBe('hello world. this is a test.');
    expect(await (await ask('srt')).text()).toMatch(/^1\n00:00:0\d,\d{3} --> 00:00:0\d,\d{3}\n/);
  });

  it('refuses a task the model does not have', async () => {
    const res = await t.fetch('/api/v1/predict/stories260k', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ text: 'hi' }),
    });
    expect([400, 404]).toContain(res.status);
  });
});
