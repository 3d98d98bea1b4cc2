import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { cliFor } from './support/run.js';

let server: TestServer;
let cli: ReturnType<typeof cliFor>;
const setosa = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

beforeAll(async () => {
  // The first start trains and deploys the iris demo model.
  server = await startTestServer({ demo: true, env: { MODELPORT_SHARED_MODELS_DIR: '/nonexistent' } });
  cli = cliFor(server.url, server.adminKey);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('modelport usage', () => {
  it('sums requests by model and prints the ledger rows as CSV', async () => {
    for (let i = 0; i < 3; i++)
      expect((await cli(['predict', 'iris', JSON.stringify({ rows: [setosa] })])).code).toBe(0);
    const summed = await cli(['--json', 'usage', '--by', 'model']);
    expect(summed.code).toBe(0);
    const report = JSON.parse(summed.stdout) as { data: { model: string; requests: number }[] };
    expect(report.data).toEqual([expect.objectContaining({ model: 'iris', requests: 3 })]);
    const table = await cli(['usage', '--by', 'model,day']);
    expect(table.stdout).toMatch(/iris\s+\*\s+3\s+0/);
    const byVersion = await cli(['usage', '--by', 'model,version']);
    expect(byVersion.stdout).toMatch(/iris\s+1\s+3\s+0/);
    const csv = await cli(['usage', '--csv']);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^request_id,/);
    expect(lines.slice(1).filter((l) => l.includes(',predict,200,'))).toHaveLength(3);
  });

  it('refuses a malformed grouping with the server’s code and exit code 1', async () => {
    const res = await cli(['usage', '--by', 'colour']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: validation_failed: /);
  });
});
