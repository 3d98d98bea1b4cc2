import type { Dataset, ModelVersion, TrainingJob } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset } from './support/dataset-api.js';
import { mnistPng, mnistTar } from './support/dataset-files.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createJob, waitForJob } from './support/training-api.js';

/** Training on a shared 2-core machine: minutes, not seconds. */
const TEST_MS = 900_000;

const json = { 'content-type': 'application/json' };
const PER_CLASS = 30;

describe('training LeNet on images through the API: 32×32×3, SGD with momentum, served from image files', () => {
  let t: TestServer;
  let digits: Dataset;
  beforeAll(async () => {
    t = await startTestServer();
    digits = await createDataset(t, await mnistTar({ perClass: () => PER_CLASS }), {
      query: { name: 'digits' },
    });
  }, 120_000);
  afterAll(() => t?.close());

  it(
    'trains above the baseline, exports with parity, deploys, and classifies a PNG',
    async () => {
      const job = await createJob(t, {
        datasetId: digits.id,
        model: { preset: 'lenet' },
        optimizer: { type: 'sgd', learningRate: 0.01, momentum: 0.9 },
        preprocessing: { image: { width: 32, height: 32, channels: 3 } },
        epochs: 10,
        batchSize: 32,
        name: 'digits-lenet',
        deploy: {},
      });
      const done: TrainingJob = await waitForJob(t, job.id, 600_000);
      expect(done.error, JSON.stringify(done.error)).toBeNull();
      const result = done.result;
      if (!result) throw new Error('no result');
      expect(result.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      expect(result.metrics.accuracy).toBeGreaterThan(0.3);
      expect(result.metrics.accuracy).toBeGreaterThan(result.baseline.accuracy as number);
      expect(result.parity).toMatchObject({ passed: true });
      expect(result.parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);

      const version = (await (
        await t.fetch('/api/v1/models/digits-lenet/versions/1')
      ).json()) as ModelVersion;
      expect(version.config).toMatchObject({
        task: 'image-classification',
        image: { width: 32, height: 32, channels: 'RGB', resize: 'fill' },
        labels: result.labels,
      });
      expect(version.metadata.onnx?.inputs[0]?.shape).toEqual([-1, 3, 32, 32]);

      let correct = 0;
      for (let digit = 0; digit < 10; digit++) {
        const res = await t.fetch('/api/v1/predict/digits-lenet', {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ image: (await mnistPng(digit, 1)).toString('base64') }),
        });
        expect(res.status).toBe(200);
        const { predictions } = (await res.json()) as { predictions: { label: string; score: number }[] };
        if (predictions[0]?.label === String(digit)) correct++;
      }
      expect(correct).toBeGreaterThanOrEqual(5);
    },
    TEST_MS,
  );
});
