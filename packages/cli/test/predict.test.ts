import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { cliFor } from './support/run.js';

let server: TestServer;
let cli: ReturnType<typeof cliFor>;
let dir: string;
beforeAll(async () => {
  // The first start trains and deploys the iris demo model.
  server = await startTestServer({ demo: true, env: { MODELPORT_SHARED_MODELS_DIR: '/nonexistent' } });
  cli = cliFor(server.url, server.adminKey);
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-cli-predict-'));
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const setosa = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

describe('modelport predict', () => {
  it('predicts rows given as JSON on the command line', async () => {
    const res = await cli(['predict', 'iris', JSON.stringify({ rows: [setosa] })]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout.trim()).label).toBe('setosa');
  });

  it('prints the raw answer with --json', async () => {
    const res = await cli(['--json', 'predict', 'iris', JSON.stringify({ rows: [setosa, setosa] })]);
    const body = JSON.parse(res.stdout) as { task: string; predictions: { label: string }[] };
    expect(body.task).toBe('tabular');
    expect(body.predictions.map((p) => p.label)).toEqual(['setosa', 'setosa']);
  });

  it('sends a file as the media input, and reports a refusal with exit code 1', async () => {
    const file = path.join(dir, 'not-an-image.png');
    await writeFile(file, 'plain text');
    const res = await cli(['predict', 'iris', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: validation_failed: /);
  });
});
