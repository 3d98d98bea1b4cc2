import type { TrainingJob } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, errorOf, uploadDataset } from './support/dataset-api.js';
import { buildTar, carsRows, irisRows, mnistPng, toCsv, toJsonl } from './support/dataset-files.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createJob, readEvents, waitForJob } from './support/training-api.js';

/** Training on a shared 2-core machine: minutes, not seconds. */
const TEST_MS = 900_000;
const TRAIN_MS = 300_000;

/** Data the inferred schema cannot show wrong: the worker finds it and the job fails, saying where. */
describe('training on bad data: a failed job with the reason, the server unharmed', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  }, 60_000);
  afterAll(() => t?.close());

  async function failed(body: Record<string, unknown>): Promise<TrainingJob> {
    const job = await createJob(t, body);
    const done = await waitForJob(t, job.id, TRAIN_MS);
    expect(done.state, JSON.stringify(done)).toBe('failed');
    expect(done.result).toBeNull();
    // The reason is in the job, its events and its logs.
    const events = await readEvents(t, job.id);
    expect(events.at(-2)?.data).toMatchObject({
      type: 'state',
      state: 'failed',
      error: { code: done.error?.code },
    });
    const logs = (await (await t.fetch(`/api/v1/training/jobs/${job.id}/logs`)).json()) as {
      data: { level: string; message: string }[];
    };
    expect(logs.data.some((l) => l.level === 'error' && l.message.includes(done.error?.code ?? '?'))).toBe(
      true,
    );
    expect((await t.fetch(`/api/v1/models/${String(body.name)}`)).status).toBe(404);
    return done;
  }

  it(
    'a value that is not a number in a column used as one names the column and the row',
    async () => {
      const rows = irisRows();
      rows[6] = { ...rows[6], petal_width: 'abc' };
      const iris = await createDataset(t, toCsv(rows), { query: { name: 'iris-typo' } });
      const job = await failed({
        datasetId: iris.id,
        target: 'species',
        preprocessing: { oneHot: [] },
        epochs: 2,
        name: 'typo',
      });
      expect(job.error).toMatchObject({ code: 'invalid_dataset' });
      expect(job.error?.message).toMatch(/petal_width/);
      expect(job.error?.message).toMatch(/row 7/);
    },
    TEST_MS,
  );

  it(
    'a feature missing in every row leaves no row after dropping',
    async () => {
      const rows = irisRows().map((r) => ({ ...r, notes: null }));
      const iris = await createDataset(t, toCsv(rows), { query: { name: 'iris-notes' } });
      const job = await failed({ datasetId: iris.id, target: 'species', epochs: 2, name: 'dropped' });
      expect(job.error).toMatchObject({ code: 'invalid_dataset' });
      expect(job.error?.message).toMatch(/notes|dropped|no rows/i);
    },
    TEST_MS,
  );

  it(
    'a learning rate that makes the loss diverge fails the job naming the optimizer',
    async () => {
      const cars = await createDataset(t, toJsonl(carsRows()), { query: { name: 'cars' } });
      const job = await failed({
        datasetId: cars.id,
        target: 'Miles_per_Gallon',
        task: 'regression',
        features: ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs'],
        preprocessing: { standardize: false },
        optimizer: { type: 'sgd', learningRate: 10 },
        epochs: 5,
        name: 'diverged',
      });
      expect(job.error).toMatchObject({ code: 'validation_failed', param: 'optimizer.learningRate' });
    },
    TEST_MS,
  );

  it('an image that does not decode is refused at upload, naming the file', async () => {
    const tar = buildTar([
      { path: '0/', type: '5' },
      { path: '0/a.png', data: await mnistPng(0, 0) },
      { path: '1/', type: '5' },
      {
        path: '1/broken.png',
        data: Buffer.concat([(await mnistPng(1, 0)).subarray(0, 40), Buffer.alloc(40)]),
      },
    ]);
    const error = await errorOf(await uploadDataset(t, tar, { query: { name: 'broken' } }));
    expect(error).toMatchObject({ status: 400, code: 'invalid_dataset' });
    expect(error.message).toContain('broken.png');
  });

  it(
    'the server still answers and trains after all of that',
    async () => {
      expect((await t.fetch('/health/ready', { key: null })).status).toBe(200);
      const iris = await createDataset(t, toCsv(irisRows()), { query: { name: 'iris-fine' } });
      const job = await createJob(t, { datasetId: iris.id, target: 'species', epochs: 3, name: 'fine' });
      expect((await waitForJob(t, job.id, TRAIN_MS)).state).toBe('succeeded');
    },
    TEST_MS,
  );
});
