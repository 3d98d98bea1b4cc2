import type { Dataset, ModelVersion, Rollout, TrainingJob } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, errorOf } from './support/dataset-api.js';
import { carsRows, irisRows, toCsv, toJsonl } from './support/dataset-files.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createJob, readEvents, waitForJob } from './support/training-api.js';

/** Training on a shared 2-core machine: minutes, not seconds. */
const TEST_MS = 900_000;

const json = { 'content-type': 'application/json' };
const TRAIN_MS = 240_000;

type Row = Record<string, number | string | null>;

async function predict(t: TestServer, model: string, rows: Row[]): Promise<Response> {
  return t.fetch(`/api/v1/predict/${model}`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ rows }),
  });
}

async function predictions(
  t: TestServer,
  model: string,
  rows: Row[],
): Promise<Record<string, number | string>[]> {
  const res = await predict(t, model, rows);
  if (res.status !== 200) throw new Error(`predict ${model}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { predictions: Record<string, number | string>[] }).predictions;
}

async function version(t: TestServer, model: string, number: number): Promise<ModelVersion> {
  return (await (await t.fetch(`/api/v1/models/${model}/versions/${number}`)).json()) as ModelVersion;
}

/** A succeeded job's result, or a failure that shows the job's error. */
function succeeded(job: TrainingJob): NonNullable<TrainingJob['result']> {
  expect(job.error, JSON.stringify(job.error)).toBeNull();
  expect(job.state).toBe('succeeded');
  if (!job.result) throw new Error('a succeeded job has a result');
  return job.result;
}

describe('training on tables through the API: train, export, register, deploy, predict raw rows', () => {
  let t: TestServer;
  let iris: Dataset;
  let cars: Dataset;
  let american: Dataset;

  beforeAll(async () => {
    t = await startTestServer();
    iris = await createDataset(t, toCsv(irisRows()), { query: { name: 'iris' } });
    cars = await createDataset(t, toJsonl(carsRows()), { query: { name: 'cars' } });
    const origin = carsRows().map(({ Origin, Name: _n, Year: _y, ...rest }) => ({
      ...rest,
      american: Origin === 'USA' ? 'yes' : 'no',
    }));
    american = await createDataset(t, toCsv(origin), { query: { name: 'american' } });
  }, 120_000);
  afterAll(() => t?.close());

  it(
    'iris: MLP 64/64/softmax beats the majority class, parity within 1e-4, registered with lineage, served from raw rows',
    async () => {
      const job = await createJob(t, {
        datasetId: iris.id,
        target: 'species',
        model: { preset: 'mlp-64-64-10' },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 40,
        batchSize: 16,
        name: 'iris-mlp',
        deploy: {},
      });
      expect(job).toMatchObject({ state: 'queued', name: 'iris-mlp', dataset: iris.id });
      const done = await waitForJob(t, job.id, TRAIN_MS);
      const result = succeeded(done);
      expect(result.metric).toBe('accuracy');
      expect(result.metrics.accuracy).toBeGreaterThan(0.8);
      expect(result.metrics.accuracy).toBeGreaterThan(result.baseline.accuracy as number);
      expect(result.parity.passed).toBe(true);
      expect(result.parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
      expect(result.parity.rows).toBeGreaterThan(0);
      expect(done.epochs.map((e) => e.epoch)).toEqual(
        Array.from({ length: result.epochsRun }, (_, i) => i + 1),
      );
      expect(result).toMatchObject({
        model: 'iris-mlp',
        version: 1,
        deployment: { name: 'iris-mlp', mode: 'replace' },
      });

      const v = await version(t, 'iris-mlp', 1);
      expect(v.format).toBe('onnx');
      expect(v.sha256).toBe(result.sha256);
      expect(v.config).toMatchObject({
        task: 'tabular',
        metrics: { accuracy: result.metrics.accuracy },
        lineage: { jobId: job.id, datasetId: iris.id, datasetSha256: iris.sha256, seed: 42 },
      });
      const lineage = v.config.lineage as {
        libraries: Record<string, string>;
        spec: Record<string, unknown>;
      };
      expect(Object.keys(lineage.libraries)).toEqual(
        expect.arrayContaining(['@tensorflow/tfjs-core', 'onnxruntime-node']),
      );
      expect(lineage.spec).toMatchObject({ datasetId: iris.id, target: 'species', epochs: 40 });

      const [setosa, virginica] = await predictions(t, 'iris-mlp', [
        { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
        { sepal_length: 7.7, sepal_width: 3.0, petal_length: 6.1, petal_width: 2.3 },
      ]);
      expect(String(setosa?.label)).toMatch(/setosa/);
      expect(String(virginica?.label)).toMatch(/virginica/);
    },
    TEST_MS,
  );

  it(
    'replays a finished job as Server-Sent Events, in order, ending with its final state',
    async () => {
      const [job] = (
        (await (await t.fetch('/api/v1/training/jobs?state=succeeded')).json()) as {
          data: TrainingJob[];
        }
      ).data;
      if (!job) throw new Error('no succeeded job');
      const events = await readEvents(t, job.id);
      const types = events.map((e) => e.event);
      expect(types[0]).toBe('state');
      expect(types.at(-1)).toBe('end');
      expect(events.filter((e) => e.event === 'epoch')).toHaveLength(job.epochs.length);
      const seqs = events.slice(0, -1).map((e) => Number(e.id));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const states = events.flatMap((e) => (e.data.type === 'state' ? [e.data.state] : []));
      expect(states).toEqual(['queued', 'running', 'succeeded']);
      expect(events.find((e) => e.event === 'result')?.data).toMatchObject({ result: { version: 1 } });
      // Resuming after an event sends only what came after it.
      const later = await readEvents(t, job.id, `?after=${seqs.at(-2)}`);
      expect(later.map((e) => e.event)).toEqual([types.at(-2), 'end']);
    },
    TEST_MS,
  );

  it(
    'a second run of the same model rolls out as a canary of the deployment',
    async () => {
      const job = await createJob(t, {
        datasetId: iris.id,
        target: 'species',
        model: { preset: 'mlp-64-64-10' },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 20,
        name: 'iris-mlp',
        deploy: { mode: 'canary', canary: { percent: 25, bakeSeconds: 600 } },
      });
      const result = succeeded(await waitForJob(t, job.id, TRAIN_MS));
      expect(result.version).toBe(2);
      expect(result.deployment).toMatchObject({
        name: 'iris-mlp',
        mode: 'canary',
        rolloutId: expect.any(String),
      });
      const rollout = (await (
        await t.fetch('/api/v1/deployments/iris-mlp/rollouts/current')
      ).json()) as Rollout;
      expect(rollout.id).toBe(result.deployment?.rolloutId);
      expect(rollout.strategy).toMatchObject({ type: 'canary', percent: 25 });
      expect(rollout.targetVariants.map((v) => v.modelVersion)).toEqual([2]);
      const abort = await t.fetch('/api/v1/deployments/iris-mlp/rollouts/current/abort', {
        method: 'POST',
        headers: json,
        body: '{}',
      });
      expect(abort.status).toBe(200);
    },
    TEST_MS,
  );

  it(
    'cars: regression with dropna, log1p and one-hot beats the mean; predict fills categories from raw rows',
    async () => {
      const job = await createJob(t, {
        datasetId: cars.id,
        target: 'Miles_per_Gallon',
        task: 'regression',
        features: ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Origin'],
        preprocessing: { log1p: ['Displacement', 'Horsepower', 'Weight_in_lbs'], oneHot: ['Origin'] },
        model: {
          layers: [
            { type: 'dense', units: 64, activation: 'relu' },
            { type: 'dense', units: 32, activation: 'relu' },
            { type: 'dense', units: 1, activation: 'linear' },
          ],
        },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 40,
        batchSize: 32,
        name: 'cars-mpg',
        deploy: {},
      });
      const result = succeeded(await waitForJob(t, job.id, TRAIN_MS));
      expect(result.metric).toBe('mae');
      expect(result.metrics.mae).toBeLessThan((result.baseline.mae as number) * 0.7);
      expect(result.parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
      const v = await version(t, 'cars-mpg', 1);
      expect(v.config).toMatchObject({
        targets: ['Miles_per_Gallon'],
        preprocessing: {
          columns: expect.arrayContaining([expect.objectContaining({ name: 'Origin', kind: 'category' })]),
        },
      });

      const car = { Cylinders: 4, Displacement: 97, Horsepower: 88, Weight_in_lbs: 2130, Acceleration: 14.5 };
      const truck = {
        Cylinders: 8,
        Displacement: 455,
        Horsepower: 225,
        Weight_in_lbs: 4425,
        Acceleration: 10,
      };
      const [small, big] = await predictions(t, 'cars-mpg', [
        { ...car, Origin: 'Japan' },
        { ...truck, Origin: 'USA' },
      ]);
      expect(Number(small?.Miles_per_Gallon)).toBeGreaterThan(Number(big?.Miles_per_Gallon) + 5);
      // Rows with a missing value were dropped in training: serving has nothing to fill in.
      const missing = await predict(t, 'cars-mpg', [{ ...car, Horsepower: null, Origin: 'USA' }]);
      expect(await errorOf(missing)).toMatchObject({ status: 400, code: 'validation_failed' });
      const unknownField = await predict(t, 'cars-mpg', [{ ...car, Origin: 'USA', Colour: 'red' }]);
      expect((await errorOf(unknownField)).message).toContain('Colour');
    },
    TEST_MS,
  );

  it(
    'cars: a binary target with mlp-64-32-1 (one sigmoid) is served with both classes',
    async () => {
      const job = await createJob(t, {
        datasetId: american.id,
        target: 'american',
        model: { preset: 'mlp-64-32-1' },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 30,
        name: 'cars-american',
        deploy: { deployment: 'american' },
      });
      const result = succeeded(await waitForJob(t, job.id, TRAIN_MS));
      expect(result.labels).toEqual(['no', 'yes']);
      expect(result.metrics.accuracy).toBeGreaterThan(result.baseline.accuracy as number);
      expect(result.deployment).toMatchObject({ name: 'american' });
      const [row] = await predictions(t, 'american', [
        {
          Miles_per_Gallon: 12,
          Cylinders: 8,
          Displacement: 400,
          Horsepower: 190,
          Weight_in_lbs: 4400,
          Acceleration: 11,
        },
      ]);
      expect(row).toMatchObject({ label: 'yes', p_no: expect.any(Number), p_yes: expect.any(Number) });
      expect(Number(row?.p_no) + Number(row?.p_yes)).toBeCloseTo(1, 5);
    },
    TEST_MS,
  );
});
