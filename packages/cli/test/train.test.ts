import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset } from '../../server/test/support/dataset-api.js';
import { irisRows, toCsv } from '../../server/test/support/dataset-files.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { cliFor } from './support/run.js';

const TEST_MS = 600_000;

describe('modelport train against a real server', () => {
  let t: TestServer;
  let cli: ReturnType<typeof cliFor>;
  let datasetId: string;
  beforeAll(async () => {
    t = await startTestServer();
    cli = cliFor(t.url, t.adminKey);
    datasetId = (await createDataset(t, toCsv(irisRows()), { query: { name: 'iris' } })).id;
  }, 60_000);
  afterAll(() => t?.close());

  it(
    'trains with --follow: a line per epoch, then the result, registered and deployed',
    async () => {
      const res = await cli([
        'train',
        '--dataset',
        datasetId,
        '--target',
        'species',
        '--preset',
        'mlp-64-64-10',
        '--epochs',
        '5',
        '--learning-rate',
        '0.01',
        '--deploy',
        '--follow',
      ]);
      expect(res.stderr).toMatch(/^training job trn_\w+: iris on dataset ds_\w+\n/);
      for (let epoch = 1; epoch <= 5; epoch++)
        expect(res.stderr).toMatch(new RegExp(`epoch ${epoch}/5  loss \\d+\\.\\d{4}  acc \\d\\.\\d{4}`));
      expect(res.stdout).toMatch(/trn_\w+ iris succeeded \(5\/5 epochs\) → iris:1/);
      expect(res.stdout).toMatch(/METRIC +MODEL +BASELINE\naccuracy/);
      expect(res.stdout).toMatch(/ONNX parity: max \|difference\| \S+ over \d+ rows \(tolerance 0\.0001\)/);
      expect(res.stdout).toContain('deployed as iris (replace)');
      expect(res.code).toBe(0);
      expect((await t.fetch('/api/v1/deployments/iris')).status).toBe(200);
    },
    TEST_MS,
  );

  it(
    'takes a spec file whose fields the flags replace; list, show, logs and cancel',
    async () => {
      const spec = path.join(t.dataDir, 'spec.json');
      await writeFile(spec, JSON.stringify({ datasetId, target: 'species', epochs: 50, name: 'from-file' }));
      const started = await cli(['train', '--spec', spec, '--epochs', '2', '--json']);
      expect(started.code).toBe(0);
      const job = JSON.parse(started.stdout) as { id: string; spec: { epochs: number }; name: string };
      expect(job).toMatchObject({ name: 'from-file', spec: { epochs: 2 } });
      const logs = await cli(['train', 'logs', job.id, '--follow']);
      expect(logs.stderr).toContain(`job ${job.id} ended succeeded`);
      const list = await cli(['train', 'list']);
      expect(list.stdout).toMatch(new RegExp(`${job.id} +from-file +ds_\\w+ +succeeded +2/2 +1`));
      const show = await cli(['train', 'show', job.id]);
      expect(show.stdout).toMatch(/epoch 2\/2/);
      expect(show.stdout).toContain('registered from-file:1');
      const cancel = await cli(['train', 'cancel', job.id]);
      expect(cancel.code).not.toBe(0);
      expect(cancel.stderr).toContain('training_job_finished');
      const refused = await cli(['train', '--dataset', datasetId, '--target', 'nope', '--name', 'x']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/validation_failed.*target/);
    },
    TEST_MS,
  );

  it(
    'registers a job that ran with register: false later, into the model named',
    async () => {
      const spec = path.join(t.dataDir, 'unregistered.json');
      await writeFile(
        spec,
        JSON.stringify({ datasetId, target: 'species', epochs: 1, name: 'kept', register: false }),
      );
      const started = await cli(['train', '--spec', spec, '--json']);
      expect(started.code).toBe(0);
      const job = JSON.parse(started.stdout) as { id: string };
      await cli(['train', 'logs', job.id, '--follow']);
      const registered = await cli(['train', 'register', job.id, '--model', 'kept-later']);
      expect(registered.stdout, registered.stderr).toMatch(
        /^registered kept-later:1 \(sha256 [0-9a-f]{64}\)/,
      );
      const again = await cli(['train', 'register', job.id]);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain('training_job_already_registered');
    },
    TEST_MS,
  );
});
