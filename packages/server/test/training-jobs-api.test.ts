import type { AuditList, Dataset, TrainingJob } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, errorOf } from './support/dataset-api.js';
import { irisRows, mnistTar, toCsv } from './support/dataset-files.js';
import { createProject, projectKey } from './support/tenants.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createJob, postJob, waitForJob } from './support/training-api.js';

/** Training on a shared 2-core machine: minutes, not seconds. */
const TEST_MS = 900_000;

const json = { 'content-type': 'application/json' };

/** Requests the server must refuse before queueing anything, each naming the field at fault. */
describe('training jobs API: validation, scoping, scopes and audit', () => {
  let t: TestServer;
  let iris: Dataset;
  let digits: Dataset;
  let setosaOnly: Dataset;
  const irisJob = (extra: Record<string, unknown> = {}) => ({
    datasetId: iris.id,
    target: 'species',
    name: 'iris-trained',
    epochs: 1,
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestServer();
    iris = await createDataset(t, toCsv(irisRows()), { query: { name: 'iris' } });
    setosaOnly = await createDataset(t, toCsv(irisRows().slice(0, 50)), { query: { name: 'setosa' } });
    digits = await createDataset(t, await mnistTar({ perClass: () => 2 }), { query: { name: 'digits' } });
  }, 120_000);
  afterAll(() => t?.close());

  const refused = async (body: Record<string, unknown>, status: number, code: string, param?: string) => {
    const res = await postJob(t, body);
    const error = await errorOf(res);
    expect(error, JSON.stringify(error)).toMatchObject({ status, code });
    // Route validation writes paths as /a/b, the service as a.b.
    if (param !== undefined) expect(error.message.replaceAll('/', '.')).toContain(param);
    return error;
  };

  it('is described in the OpenAPI document with its request and answer schemas', async () => {
    const doc = (await (await t.fetch('/docs/json', { key: null })).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    const post = doc.paths['/api/v1/training/jobs']?.post;
    const body = JSON.stringify(post?.requestBody);
    for (const field of ['datasetId', 'target', 'optimizer', 'earlyStopping', 'deploy', 'register'])
      expect(body).toContain(field);
    expect(JSON.stringify(post?.responses['201'])).toContain('progress');
    expect(Object.keys(doc.paths['/api/v1/training/jobs/{id}'] ?? {})).toEqual(['get']);
    for (const sub of ['cancel', 'events', 'logs'])
      expect(doc.paths[`/api/v1/training/jobs/{id}/${sub}`]).toBeDefined();
  });

  it(
    'refuses a target the dataset lacks, naming the column and the ones it has',
    async () => {
      const error = await refused(irisJob({ target: 'kind' }), 400, 'validation_failed', 'kind');
      expect(error.message).toContain('sepal_length');
    },
    TEST_MS,
  );

  it(
    'refuses a one-class target',
    async () => {
      const error = await refused(irisJob({ datasetId: setosaOnly.id }), 400, 'validation_failed');
      expect(error.message).toMatch(/one value only/);
    },
    TEST_MS,
  );

  it(
    'refuses hyperparameters out of range and unknown fields, naming them',
    async () => {
      await refused(irisJob({ epochs: 0 }), 400, 'validation_failed', 'epochs');
      await refused(irisJob({ batchSize: 100_000 }), 400, 'validation_failed', 'batchSize');
      await refused(
        irisJob({ optimizer: { type: 'adam', learningRate: 50 } }),
        400,
        'validation_failed',
        'optimizer.learningRate',
      );
      await refused(irisJob({ epochz: 3 }), 400, 'validation_failed', 'epochz');
      await refused(irisJob({ name: 'Not A Name' }), 400, 'validation_failed', 'name');
      await refused(irisJob({ register: false, deploy: {} }), 400, 'validation_failed', 'deploy');
    },
    TEST_MS,
  );

  it(
    'refuses a preset or columns that do not fit the dataset',
    async () => {
      await refused(irisJob({ model: { preset: 'lenet' } }), 400, 'validation_failed', 'model.preset');
      await refused(irisJob({ features: ['petal_length', 'nope'] }), 400, 'validation_failed', 'features.1');
      await refused(
        irisJob({ preprocessing: { log1p: ['species'] } }),
        400,
        'validation_failed',
        'preprocessing.log1p.0',
      );
      await refused(
        { datasetId: digits.id, target: 'label', name: 'digits-trained' },
        400,
        'validation_failed',
        'target',
      );
    },
    TEST_MS,
  );

  it(
    'refuses to train into a model of another task',
    async () => {
      const res = await t.fetch('/api/v1/models', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'photos', task: 'image-classification' }),
      });
      expect(res.status).toBe(201);
      await refused(irisJob({ name: 'photos' }), 400, 'validation_failed', 'photos');
    },
    TEST_MS,
  );

  it(
    "answers 404 for another project's dataset and job, and 403 without the manage scope",
    async () => {
      const other = await createProject(t, 'other-team');
      const { key: otherKey } = await projectKey(t, other.id, ['manage']);
      const res = await postJob(t, irisJob(), otherKey);
      expect(await errorOf(res)).toMatchObject({ status: 404, code: 'dataset_not_found' });

      const job = await createJob(t, irisJob());
      for (const [path, method] of [
        [`/api/v1/training/jobs/${job.id}`, 'GET'],
        [`/api/v1/training/jobs/${job.id}/events`, 'GET'],
        [`/api/v1/training/jobs/${job.id}/logs`, 'GET'],
        [`/api/v1/training/jobs/${job.id}/cancel`, 'POST'],
      ] as const) {
        const answer = await t.fetch(path, { method, key: otherKey });
        expect(await errorOf(answer), path).toMatchObject({ status: 404, code: 'training_job_not_found' });
      }
      const list = (await (await t.fetch('/api/v1/training/jobs', { key: otherKey })).json()) as {
        data: TrainingJob[];
      };
      expect(list.data).toEqual([]);

      const { key: inferKey } = await projectKey(t, t.server.bootstrap.projectId, ['infer']);
      const forbidden = await t.fetch(`/api/v1/training/jobs/${job.id}`, { key: inferKey });
      expect(await errorOf(forbidden)).toMatchObject({ status: 403, code: 'insufficient_scope' });
      await waitForJob(t, job.id, 120_000);
    },
    TEST_MS,
  );

  it(
    'records training.create and training.cancel in the audit log, and a cancel after the end is refused',
    async () => {
      const job = await createJob(t, irisJob({ epochs: 200 }));
      const cancel = await t.fetch(`/api/v1/training/jobs/${job.id}/cancel`, { method: 'POST' });
      expect(cancel.status).toBe(200);
      const ended = await waitForJob(t, job.id, 60_000);
      expect(ended.state).toBe('cancelled');
      // Cancelling again changes nothing.
      const again = await t.fetch(`/api/v1/training/jobs/${job.id}/cancel`, { method: 'POST' });
      expect(((await again.json()) as TrainingJob).state).toBe('cancelled');
      const audit = (await (await t.fetch('/api/v1/audit?limit=200')).json()) as AuditList;
      const mine = audit.data.filter((e) => e.target === job.id).map((e) => e.action);
      expect(mine.sort()).toEqual(['training.cancel', 'training.cancel', 'training.create']);
    },
    TEST_MS,
  );
});
