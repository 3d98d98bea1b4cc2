import type { Page } from 'playwright-core';
import { create as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelFiles } from '../../server/test/support/shared-models.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { type TinyBertFolders, writeTinyBert } from '../../server/test/support/tiny-bert.js';
import { chromiumOrNull } from './support/chromium.js';
import {
  type ConsoleBrowser,
  checkPage,
  checkPhonePages,
  expectCleanRun,
  openConsoleBrowser,
  signIn,
} from './support/console-browser.js';

/** Stopping a server with several runners takes long on a loaded two-core machine. */
const SHUTDOWN_MS = 180_000;
const browserPath = chromiumOrNull();
// The demo registers these from the shared folder (and deploys stories260k and its own iris).
const models = sharedModelFiles([
  'stories260k/stories260K.gguf',
  'whisper-tiny/Xenova/whisper-tiny/config.json',
  'mnist/mnist.onnx',
  'samples/hello-world-this-is-a-test.wav',
]);
const wavPath = models.paths[3] as string;
const json = { 'content-type': 'application/json' };

async function tarOf(folder: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createTar({ cwd: folder, portable: true }, ['.']))
    chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function expectStatus(res: Promise<Response>, status: number, what: string): Promise<void> {
  const r = await res;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${await r.text()}`);
}

/** Deployments for every playground, through the API while the browser signs in. */
async function deployAll(t: TestServer, encoderFolder: string): Promise<void> {
  const deploy = (body: object) =>
    expectStatus(
      t.fetch('/api/v1/deployments', { method: 'POST', headers: json, body: JSON.stringify(body) }),
      201,
      `deploy ${JSON.stringify(body)}`,
    );
  await expectStatus(
    t.fetch('/api/v1/models', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'encoder', task: 'feature-extraction' }),
    }),
    201,
    'model encoder',
  );
  await expectStatus(
    t.fetch('/api/v1/models/encoder/versions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-tar' },
      body: await tarOf(encoderFolder),
    }),
    201,
    'upload encoder',
  );
  await Promise.all([
    deploy({ model: 'encoder', threads: 1 }),
    deploy({ model: 'whisper-tiny', threads: 1 }),
    deploy({ model: 'mnist', threads: 1 }),
    deploy({ name: 'stories-b', model: 'stories260k', threads: 1, llm: { parallel: 1, contextSize: 512 } }),
  ]);
}

async function open(page: Page, t: TestServer, route: string, heading: string): Promise<void> {
  await page.goto(`${t.url}/console${route}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

describe.skipIf(!browserPath || models.skip)('a playground for every task', { timeout: 90_000 }, () => {
  let t: TestServer;
  let b: ConsoleBrowser;
  let tinyBert: TinyBertFolders;

  beforeAll(async () => {
    [t, b, tinyBert] = await Promise.all([
      startTestServer({ demo: true }),
      openConsoleBrowser(browserPath as string),
      writeTinyBert(),
    ]);
    await Promise.all([deployAll(t, tinyBert.encoder), signIn(b.page, t.url, t.adminKey)]);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await t?.close();
    await tinyBert?.cleanup();
  }, SHUTDOWN_MS);

  it('lists every playground', async () => {
    const { page } = b;
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Playgrounds' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Playgrounds' }).waitFor();
    expect(await page.getByRole('main').getByRole('link').count()).toBe(7);
    await checkPage(page, 'playgrounds');
  });

  it('continues a prompt, and shows it as curl, JavaScript and Python', async () => {
    const { page } = b;
    await open(page, t, '/playground/completions', 'Completions playground');
    await page.getByLabel('Model').selectOption('stories260k');
    await page.getByRole('button', { name: 'Complete' }).click();
    const text = await page.getByTestId('completion').locator('strong').textContent();
    expect(text?.trim().length).toBeGreaterThan(0);
    expect(await page.getByRole('tabpanel').textContent()).toContain(`${t.url}/v1/completions`);
    await page.getByRole('tab', { name: 'Python' }).click();
    const python = await page.getByRole('tabpanel').textContent();
    expect(python).toContain('client.completions.create(');
    expect(python).toContain('model="stories260k"');
    await page.getByRole('button', { name: 'Copy Python' }).waitFor();
    await checkPage(page, 'playground-completions');
  });

  it('streams a chat from two models side by side', async () => {
    const { page } = b;
    await open(page, t, '/playground/chat', 'Chat playground');
    await page.getByLabel('Model', { exact: true }).selectOption('stories260k');
    await page.getByLabel('Side by side with').selectOption('stories-b');
    await page.getByLabel('Message').fill('Once upon a time');
    await page.getByRole('button', { name: 'Send' }).click();
    for (const id of ['answer', 'answer-b']) {
      const answer = page.locator(`[data-testid="${id}"][data-streaming="false"]`);
      await answer.waitFor();
      expect(Number(await answer.getAttribute('data-chunks')), id).toBeGreaterThan(1);
    }
    await page.getByRole('tab', { name: 'Python' }).click();
    expect(await page.getByRole('tabpanel').textContent()).toContain('client.chat.completions.create(');
    await checkPage(page, 'playground-chat-side-by-side');
  });

  it('compares two texts by their embeddings', async () => {
    const { page } = b;
    await open(page, t, '/playground/embeddings', 'Embeddings playground');
    await page.getByLabel('Model').selectOption('encoder');
    await page.getByLabel('First text').fill('a great movie');
    await page.getByLabel('Second text').fill('a great movie');
    await page.getByRole('button', { name: 'Compare' }).click();
    const same = Number(await page.getByTestId('similarity').getAttribute('data-value'));
    expect(same).toBeCloseTo(1, 5);
    await page.getByLabel('Second text').fill('a terrible book');
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect
      .poll(async () => Number(await page.getByTestId('similarity').getAttribute('data-value')))
      .toBeLessThan(0.99999);
    await checkPage(page, 'playground-embeddings');
  });

  it('transcribes a WAV file', async () => {
    const { page } = b;
    await open(page, t, '/playground/transcription', 'Transcription playground');
    await page.getByLabel('Model').selectOption('whisper-tiny');
    await page.getByLabel('Audio (WAV)').setInputFiles(wavPath);
    await page.getByRole('button', { name: 'Transcribe' }).click();
    expect((await page.getByTestId('transcript').textContent())?.toLowerCase()).toContain('hello world');
    await checkPage(page, 'playground-transcription');
  });

  it("fills a form built from a tabular model's features", async () => {
    const { page } = b;
    await open(page, t, '/playground/tabular', 'Tabular playground');
    await page.getByLabel('Model').selectOption('iris');
    const inputs = page.getByRole('group', { name: /Features of iris/ }).getByRole('spinbutton');
    await expect.poll(() => inputs.count()).toBe(4);
    for (const [i, v] of [5.1, 3.5, 1.4, 0.2].entries()) await inputs.nth(i).fill(String(v));
    await page.getByRole('button', { name: 'Predict' }).click();
    const label = page.getByTestId('prediction-row').filter({ hasText: 'label' });
    expect(await label.textContent()).toContain('setosa');
    await checkPage(page, 'playground-tabular');
  });

  it('sends raw tensors over the Open Inference Protocol', async () => {
    const { page } = b;
    await open(page, t, '/playground/tensor', 'Tensor playground (OIP)');
    await page.getByLabel('Model').selectOption('mnist');
    await expect
      .poll(async () => (await page.getByLabel('Request (JSON)').inputValue()).length)
      .toBeGreaterThan(100);
    await page.getByRole('button', { name: 'Infer' }).click();
    const row = page.getByTestId('output-row').first();
    expect(await row.textContent()).toMatch(/FP32\[1, 10\]/);
    await page.getByLabel('Request (JSON)').fill('{ not json');
    await page.getByText(/^Not JSON/).waitFor();
    await checkPage(page, 'playground-tensor');
  });

  it("fits a phone's width", async () => {
    const { overflowing, findings } = await checkPhonePages(b.page, t.url, [
      ['playgrounds', '/playground', /^Playgrounds$/],
      ['playground-completions', '/playground/completions', /Completions/],
      ['playground-embeddings', '/playground/embeddings', /Embeddings/],
      ['playground-transcription', '/playground/transcription', /Transcription/],
      ['playground-tabular', '/playground/tabular', /Tabular/],
      ['playground-tensor', '/playground/tensor', /Tensor/],
    ]);
    expect(overflowing).toEqual([]);
    expect(findings).toEqual([]);
    expectCleanRun(b, t.adminKey);
  });
});
