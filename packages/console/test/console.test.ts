import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleFirstLoad } from '../../../scripts/console-bundle-size.mjs';
import { sharedModelFiles } from '../../server/test/support/shared-models.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { chromiumOrNull } from './support/chromium.js';
import {
  type ConsoleBrowser,
  checkPage as checkPageOf,
  checkPhonePages,
  distDir,
  expectCleanRun,
  go as goTo,
  openConsoleBrowser,
} from './support/console-browser.js';
import { deployStories, squeezenetConfig } from './support/console-models.js';

/** Stopping a server with several runners takes long on a loaded two-core machine. */
const SHUTDOWN_MS = 180_000;
const browserPath = chromiumOrNull();
const models = sharedModelFiles([
  'squeezenet1.0-fp16/SqueezeNet_fp16.onnx',
  'squeezenet1.0-fp16/kitten_224.png',
  'squeezenet1.0-fp16/labels.txt',
  'stories260k/stories260K.gguf',
]);
const [onnxPath, kittenPath, labelsPath, ggufPath] = models.paths as [string, string, string, string];
const json = { 'content-type': 'application/json' };

describe.skipIf(!browserPath || models.skip)(
  'the web console in a real browser',
  { timeout: 120_000 },
  () => {
    let t: TestServer;
    let b: ConsoleBrowser;
    let browser: Browser;
    let page: Page;
    let storiesReady: Promise<void>;
    const checkPage = (name: string) => checkPageOf(page, name);
    const go = (link: string, heading: string | RegExp) => goTo(page, link, heading);

    beforeAll(async () => {
      [t, b] = await Promise.all([startTestServer(), openConsoleBrowser(browserPath as string)]);
      ({ browser, page } = b);
      storiesReady = deployStories(t, ggufPath);
      storiesReady.catch(() => {});
    });

    afterAll(async () => {
      await storiesReady?.catch(() => {});
      await browser?.close();
      await t?.close();
    }, SHUTDOWN_MS);

    it('is served at /console/ from the build: / leads there, assets cached for good, a missing one is 404', async () => {
      const root = await fetch(`${t.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/console/');
      const index = await fetch(`${t.url}/console/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('cache-control')).toBe('no-cache');
      expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await index.text();
      const asset = /src="\/console\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset).toBeDefined();
      const script = await fetch(`${t.url}/console/${asset}`);
      expect(script.status).toBe(200);
      expect(script.headers.get('cache-control')).toContain('immutable');
      // A client route gets the page; a missing asset does not.
      const deep = await fetch(`${t.url}/console/deployments/anything`);
      expect([deep.status, deep.headers.get('cache-control'), await deep.text()]).toEqual([
        200,
        'no-cache',
        html,
      ]);
      const missing = await fetch(`${t.url}/console/assets/missing-0000.js`);
      expect(missing.status).toBe(404);
      const load = consoleFirstLoad(distDir);
      console.log(
        `console first load: ${(load.gzipBytes / 1024).toFixed(1)} kB gzip (goal ≤ 150 kB), ${load.files.length} files`,
      );
    });

    it('signs in with a key kept in this tab only, never in a URL', async () => {
      await page.goto(`${t.url}/`);
      await page.getByLabel('API key').fill(t.adminKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      expect(page.url()).toBe(`${t.url}/console/`);
      const stored = await page.evaluate<{ sessionStorage: number; localStorage: number }>(
        '({ sessionStorage: sessionStorage.length, localStorage: localStorage.length })',
      );
      expect(stored).toEqual({ sessionStorage: 1, localStorage: 0 });
      await page
        .getByRole('region', { name: 'Requests/s' })
        .getByText(/last 60 s/)
        .waitFor();
      await checkPage('overview-empty');
    });

    it('creates a model, uploads a version with a progress bar, and deploys it', async () => {
      await go('Models', 'Models');
      await checkPage('models-empty');
      await page.getByLabel('Name').fill('squeezenet');
      await page.getByLabel('Task').selectOption('image-classification');
      await page.getByRole('button', { name: 'Create model' }).click();
      await page.getByRole('heading', { level: 1, name: 'Model squeezenet' }).waitFor();

      await page.getByLabel('Artifact').setInputFiles(onnxPath);
      await page.getByLabel('Config').fill(await squeezenetConfig(labelsPath));
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await page.getByText('Version 1 stored').waitFor();
      const progress = page.getByRole('progressbar', { name: /Uploaded/ });
      expect(await progress.getAttribute('value')).toBe('100');
      const sha256 = createHash('sha256')
        .update(await readFile(onnxPath))
        .digest('hex');
      const versions = page.getByRole('table', { name: 'Versions' });
      await versions.getByText(`${sha256.slice(0, 12)}…`).waitFor();
      await expect(versions.getByRole('cell', { name: 'onnx', exact: true }).count()).resolves.toBe(1);
      await checkPage('model-detail');

      await page.getByRole('button', { name: 'Deploy', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Deployment squeezenet' }).waitFor();
      await page.locator('.page-head .badge', { hasText: 'ready' }).waitFor();
      // Scale and swap sit on the page itself, not in a menu.
      for (const name of ['Scale', 'Swap version']) await page.getByRole('button', { name }).waitFor();
      await page.locator('.chart canvas').first().waitFor();
      await page.getByRole('spinbutton', { name: 'Instances' }).fill('2');
      await page.getByRole('button', { name: 'Scale' }).click();
      const instances = page.getByRole('table', { name: 'Instances' });
      await expect
        .poll(() => instances.getByText('ready', { exact: true }).count(), { timeout: 60_000 })
        .toBe(2);
      // The server's own series: requests, queue and compute, batch size, TTFT, tokens/s.
      await expect.poll(() => page.getByTestId('series-chart').count()).toBe(5);
      await checkPage('deployment-detail');

      // A rollout started through the API is steered from the page: pause, promote, abort.
      const started = await t.fetch('/api/v1/deployments/squeezenet/rollouts', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          variants: [{ variantName: 'default', modelVersion: 1, instances: 1, weight: 100 }],
          strategy: { type: 'canary', percent: 10, bakeSeconds: 3600 },
        }),
      });
      expect(started.status).toBe(202);
      const rollout = page.getByRole('region', { name: /Rollout to revision 3/ });
      await rollout.getByRole('heading', { name: /baking$/ }).waitFor();
      await rollout.getByRole('button', { name: 'Pause' }).click();
      await rollout.getByRole('heading', { name: /paused$/ }).waitFor();
      // The weight steps over the canary's and the baseline's latency and errors.
      await rollout.getByRole('img', { name: /Latency p95 of the canary and the baseline/ }).waitFor();
      await rollout.getByRole('img', { name: /Errors of the canary and the baseline/ }).waitFor();
      await checkPage('deployment-rollout');
      await rollout.getByRole('button', { name: 'Promote one step' }).click();
      await rollout.getByText('100 %', { exact: true }).waitFor();
      await rollout.getByRole('button', { name: 'Abort and roll back' }).click();
      await page.getByText('No rollout in progress.').waitFor();
    });

    it('classifies the kitten in the image playground and shows the request as curl and JavaScript', async () => {
      await go('Image playground', 'Image playground');
      await page.getByLabel('Model').selectOption('squeezenet');
      await page.getByLabel(/Drop an image here/).setInputFiles(kittenPath);
      await page.getByRole('button', { name: 'Classify' }).click();
      const top = page.getByTestId('predictions').getByRole('listitem').first();
      await top.waitFor();
      expect(await top.textContent()).toContain('tabby');
      const curl = await page.getByRole('tabpanel').textContent();
      expect(curl).toContain(`${t.url}/api/v1/predict/squeezenet`);
      expect(curl).toContain('$MODELPORT_API_KEY');
      await page.getByRole('tab', { name: 'JavaScript' }).click();
      expect(await page.getByRole('tabpanel').textContent()).toContain('new FormData()');
      await checkPage('playground-image');
    });

    it('streams a chat answer from the language model', async () => {
      await storiesReady;
      await go('Chat playground', 'Chat playground');
      await page.getByLabel('Model').selectOption('stories');
      await page.getByLabel('Message').fill('Once upon a time');
      await page.getByRole('button', { name: 'Send' }).click();
      const answer = page.locator('[data-testid="answer"][data-streaming="false"]');
      await answer.waitFor();
      const text = (await answer.textContent())?.replace(/^assistant/, '').trim() ?? '';
      expect(text.length).toBeGreaterThan(0);
      // Several events arrived, each adding to the answer as it was generated.
      expect(Number(await answer.getAttribute('data-chunks'))).toBeGreaterThan(1);
      const curl = await page.getByRole('tabpanel').textContent();
      expect(curl).toContain('"stream":true');
      await checkPage('playground-chat');
    });

    it('creates a key whose secret is shown once, and revokes it', async () => {
      await go('Keys and projects', 'Keys and projects');
      await page.getByLabel('Name', { exact: true }).fill('ci-reader');
      await page.getByLabel(/Requests\/min/).fill('600');
      await page.getByRole('button', { name: 'Create key' }).click();
      const secret = (await page.getByTestId('new-secret').locator('code').textContent()) ?? '';
      expect(secret).toMatch(/^mpk_/);
      expect((await t.fetch('/api/v1/keys/self', { key: secret })).status).toBe(200);
      await page.getByRole('button', { name: 'Copy secret' }).waitFor();
      await checkPage('keys-created');
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByTestId('new-secret').waitFor({ state: 'detached' });
      await expect(page.getByText(secret).count()).resolves.toBe(0);

      const row = page.locator('tr[data-key-name="ci-reader"]');
      await row.getByText('600 req/min').waitFor();
      // Rotate: a new secret shown once, the old one still valid for the grace period.
      await row.getByRole('button', { name: 'Rotate ci-reader' }).click();
      const rotated = (await row.getByTestId('rotated-secret').locator('code').textContent()) ?? '';
      expect(rotated).toMatch(/^mpk_/);
      expect((await t.fetch('/api/v1/keys/self', { key: rotated })).status).toBe(200);
      await page.getByLabel('Key', { exact: true }).selectOption({ label: 'ci-reader' });
      await page.getByLabel('Limit').fill('5');
      await page.getByRole('button', { name: 'Set budget' }).click();
      await page
        .getByTestId('key-budgets')
        .getByText(/ci-reader: .* of .*5.* per month/)
        .waitFor();
      await row.getByRole('button', { name: 'Revoke ci-reader' }).click();
      await row.getByRole('button', { name: 'Revoke ci-reader now' }).click();
      await row.getByText('revoked').waitFor();
      expect((await t.fetch('/api/v1/keys/self', { key: secret })).status).toBe(401);
      await checkPage('keys');
    });

    it('shows usage rows, the audit log and the overview figures of what was done', async () => {
      const budget = await t.fetch('/api/v1/budgets/project', {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ limit: 100, period: 'month' }),
      });
      expect(budget.status).toBe(200);
      await go('Usage', 'Usage');
      await page.getByRole('img', { name: /^Budget burn-down of the project \(month\)/ }).waitFor();
      expect(await page.getByTestId('budget-summary').textContent()).toMatch(/spent of .*100/);
      const usage = page.getByRole('table', { name: 'Usage' });
      for (const model of ['squeezenet', 'stories'])
        await usage.getByRole('cell', { name: model, exact: true }).waitFor();
      expect(await page.getByTestId('usage-row').count()).toBeGreaterThanOrEqual(2);
      await page.getByRole('img', { name: /^Requests and errors per day: [1-9]\d* requests/ }).waitFor();
      await checkPage('usage');

      await go('Audit log', 'Audit log');
      for (const action of [
        'key.revoke',
        'deployment.create',
        'version.upload',
        'rollout.pause',
        'rollout.abort',
      ]) {
        await page
          .getByRole('table', { name: 'Audit events' })
          .getByText(action, { exact: true })
          .first()
          .waitFor();
      }
      // Each entry links to its object.
      const created = page.getByTestId('audit-row').filter({ hasText: 'deployment.create' }).first();
      expect(await created.getByRole('link').getAttribute('href')).toMatch(/\/console\/deployments\/\w+/);
      await checkPage('audit');

      await go('Deployments', 'Deployments');
      await page.getByRole('table', { name: 'Deployments' }).getByRole('link', { name: 'stories' }).waitFor();
      await checkPage('deployments');

      await go('Overview', 'Overview');
      await page
        .getByRole('table', { name: 'Top models, last 24 hours' })
        .getByRole('cell', { name: 'squeezenet' })
        .waitFor();
      await checkPage('overview');
    });

    it('hides what a key may not do, and shows the server refusing it (403)', async () => {
      const inferKey = await t.mintKey({ name: 'caller', scopes: ['infer'] });
      const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const p = await other.newPage();
        await p.goto(`${t.url}/console/`);
        await p.getByLabel('API key').fill(inferKey);
        await p.getByRole('button', { name: 'Sign in' }).click();
        await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
        const nav = p.getByRole('navigation', { name: 'Console' });
        await nav.getByRole('link', { name: 'Image playground' }).waitFor();
        for (const hidden of ['Keys and projects', 'Usage', 'Audit log']) {
          await expect(nav.getByRole('link', { name: hidden }).count()).resolves.toBe(0);
        }
        await p.goto(`${t.url}/console/keys`);
        await p.getByText('Not allowed (403 insufficient_scope)').waitFor();
      } finally {
        await other.close();
      }
    });

    it("fits a phone's width on every page, in dark colours too", async () => {
      const { overflowing, findings } = await checkPhonePages(page, t.url, [
        ['overview', '/', /Overview/],
        ['models', '/models', /^Models$/],
        ['model-detail', '/models/squeezenet', /Model squeezenet/],
        ['deployments', '/deployments', /^Deployments$/],
        ['deployment-detail', '/deployments/squeezenet', /Deployment squeezenet/],
        ['playground-chat', '/playground/chat', /Chat playground/],
        ['playground-image', '/playground/image', /Image playground/],
        ['keys', '/keys', /Keys and projects/],
        ['usage', '/usage', /Usage/],
        ['audit', '/audit', /Audit log/],
      ]);
      expect(overflowing).toEqual([]);
      expect(findings).toEqual([]);
    });

    it('ran without script errors or refused resources, and never put the key in a URL', () => {
      expectCleanRun(b, t.adminKey);
    });
  },
);
