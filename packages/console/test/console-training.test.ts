import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset } from '../../server/test/support/dataset-api.js';
import { irisRows, toCsv } from '../../server/test/support/dataset-files.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { chromiumOrNull } from './support/chromium.js';
import {
  type ConsoleBrowser,
  checkPage,
  checkPhonePages,
  expectCleanRun,
  go,
  openConsoleBrowser,
  signIn,
} from './support/console-browser.js';

/** Stopping a server with several runners takes long on a loaded two-core machine. */
const SHUTDOWN_MS = 180_000;
const browserPath = chromiumOrNull();
const json = { 'content-type': 'application/json' };
const EPOCHS = 40;

describe.skipIf(!browserPath)('training jobs in the web console', { timeout: 90_000 }, () => {
  let t: TestServer;
  let b: ConsoleBrowser;
  let jobId: string;

  beforeAll(async () => {
    [t, b] = await Promise.all([startTestServer(), openConsoleBrowser(browserPath as string)]);
    const dataset = await createDataset(t, toCsv(irisRows()), {
      query: { name: 'iris' },
      contentType: 'text/csv',
    });
    const res = await t.fetch('/api/v1/training/jobs', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        datasetId: dataset.id,
        target: 'species',
        name: 'iris-mlp',
        model: { preset: 'mlp-64-64-10' },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: EPOCHS,
        seed: 42,
      }),
    });
    expect(res.status).toBe(201);
    jobId = ((await res.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  }, SHUTDOWN_MS);

  it('lists the job and follows it live: curves per epoch, evaluation against the baseline', async () => {
    const { page } = b;
    await signIn(page, t.url, t.adminKey);
    await go(page, 'Training jobs', 'Training jobs');
    const row = page.getByTestId('training-row').filter({ hasText: jobId });
    await row.waitFor();
    await checkPage(page, 'training-jobs');

    await row.getByRole('link', { name: jobId }).click();
    await page.getByRole('heading', { level: 1, name: `Training job ${jobId}` }).waitFor();
    await page.locator('.page-head .badge', { hasText: 'succeeded' }).waitFor();
    // Every epoch reached the page through the event stream and is drawn.
    expect(await page.getByRole('img', { name: /^Loss per epoch/ }).getAttribute('aria-label')).toContain(
      `${EPOCHS} epochs`,
    );
    await page.locator('.chart canvas').nth(1).waitFor();
    const accuracy = page.getByTestId('evaluation-row').filter({ hasText: 'accuracy (main)' });
    expect(await accuracy.textContent()).toContain('✓ better');
    await page.getByText('Hyperparameters and spec').waitFor();
    await page.getByRole('rowheader', { name: 'optimizer.learningRate' }).waitFor();
    await checkPage(page, 'training-job');
  });

  it('links the registered version to its job, and deploys it from the job page', async () => {
    const { page } = b;
    await page.getByTestId('registered-version').click();
    await page.getByRole('heading', { level: 1, name: 'Model iris-mlp' }).waitFor();
    await page.getByRole('table', { name: 'Versions' }).getByRole('link', { name: jobId }).click();
    await page.getByRole('heading', { level: 1, name: `Training job ${jobId}` }).waitFor();
    await page.getByRole('button', { name: 'Deploy iris-mlp:1' }).click();
    await page.getByRole('heading', { level: 1, name: 'Deployment iris-mlp' }).waitFor();
    const deployment = await (await t.fetch('/api/v1/deployments/iris-mlp')).json();
    expect(deployment).toMatchObject({ model: 'iris-mlp', version: 1 });
  });

  it("compares two versions' metadata, the differing fields marked", async () => {
    const { page } = b;
    // A second version: the same artifact, uploaded without the training's lineage.
    const artifact = await (await t.fetch('/api/v1/models/iris-mlp/versions/1/artifact')).arrayBuffer();
    const v1 = (await (await t.fetch('/api/v1/models/iris-mlp/versions/1')).json()) as { config: object };
    const { lineage: _, ...config } = v1.config as { lineage?: unknown };
    const upload = await t.fetch('/api/v1/models/iris-mlp/versions', {
      method: 'POST',
      headers: { 'modelport-config': JSON.stringify(config) },
      body: artifact,
    });
    expect(upload.status).toBe(201);
    await page.goto(`${t.url}/console/models/iris-mlp`);
    const compare = page.getByRole('table', { name: 'Version 1 against version 2' });
    await compare.waitFor();
    const differing = compare.locator('[data-testid="compare-row"][data-differs="true"]');
    await differing.filter({ hasText: 'config.lineage.jobId' }).waitFor();
    await expect(differing.filter({ hasText: /^sha256/ }).count()).resolves.toBe(0);
    await page.getByLabel('only what differs').check();
    await expect(compare.locator('[data-differs="false"]').count()).resolves.toBe(0);
    await checkPage(page, 'model-compare');
  });

  it('starts a job from the form and follows it to the end', async () => {
    const { page } = b;
    await go(page, 'Training jobs', 'Training jobs');
    await page.getByLabel('Dataset').selectOption({ label: 'iris (150 rows)' });
    await page.getByLabel('Target column').selectOption('species');
    await page.getByLabel('Model name').fill('iris-form');
    await page.getByLabel('Epochs').fill('5');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('heading', { level: 1, name: /^Training job trn_/ }).waitFor();
    await page.locator('.page-head .badge', { hasText: 'succeeded' }).waitFor();
    expect(await page.getByTestId('registered-version').textContent()).toBe('iris-form:1');
  });

  it('registers a job that ran with register: false as a version from its page', async () => {
    const { page } = b;
    const datasets = (await (await t.fetch('/api/v1/datasets')).json()) as { data: { id: string }[] };
    const res = await t.fetch('/api/v1/training/jobs', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        datasetId: datasets.data[0]?.id,
        target: 'species',
        name: 'iris-later',
        epochs: 3,
        register: false,
      }),
    });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: string }).id;
    await page.goto(`${t.url}/console/training/${id}`);
    await page.locator('.page-head .badge', { hasText: 'succeeded' }).waitFor();
    await page.getByRole('button', { name: 'Register as version' }).click();
    await page.getByTestId('registered-version').filter({ hasText: 'iris-later:1' }).waitFor();
    const version = (await (await t.fetch('/api/v1/models/iris-later/versions/1')).json()) as {
      config: { lineage: { jobId: string } };
    };
    expect(version.config.lineage.jobId).toBe(id);
  });

  it("fits a phone's width", async () => {
    const { overflowing, findings } = await checkPhonePages(b.page, t.url, [
      ['training-jobs', '/training', /Training jobs/],
      ['training-job', `/training/${jobId}`, /Training job/],
      ['model-compare', '/models/iris-mlp', /Model iris-mlp/],
    ]);
    expect(overflowing).toEqual([]);
    expect(findings).toEqual([]);
    expectCleanRun(b, t.adminKey);
  });
});
