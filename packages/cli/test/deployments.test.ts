import { Modelport } from '@modelport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyOnnx } from '../../sdk/test/support/tiny-onnx.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { cliFor } from './support/run.js';

let server: TestServer;
let cli: ReturnType<typeof cliFor>;
beforeAll(async () => {
  server = await startTestServer();
  cli = cliFor(server.url, server.adminKey);
  const mp = new Modelport({ baseUrl: server.url, apiKey: server.adminKey });
  await mp.models.create({ name: 'split' });
  await mp.versions.upload('split', tinyOnnx({ tag: 'split-1' }));
  await mp.versions.upload('split', tinyOnnx({ tag: 'split-2' }));
  await mp.deployments.create({ model: 'split', version: 1 });
});
afterAll(async () => {
  await server?.close();
});

describe('modelport deployments', () => {
  it('variants replaces the split as the next revision; revisions lists them, the served one starred', async () => {
    const res = await cli([
      'deployments',
      'variants',
      'split',
      '--variant',
      'name=AllTraffic,version=1,weight=90',
      '--variant',
      'name=Canary,version=2,weight=10,instances=1',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')).toEqual([
      'deployment split serves revision 2',
      expect.stringMatching(/^VARIANT +VERSION +ROLE +WEIGHT +TRAFFIC +SAMPLED +INSTANCES$/),
      expect.stringMatching(/^AllTraffic +1 +production +90 +90% +- +1$/),
      expect.stringMatching(/^Canary +2 +production +10 +10% +- +1$/),
      '',
    ]);

    const revisions = await cli(['deployments', 'revisions', 'split']);
    expect(revisions.code).toBe(0);
    expect(revisions.stdout.split('\n')).toEqual([
      expect.stringMatching(/^REVISION +CREATED +VARIANTS$/),
      expect.stringMatching(/^1 +\S+Z +default v1 ×1 w100$/),
      expect.stringMatching(/^2 \* +\S+Z +AllTraffic v1 ×1 w90, Canary v2 ×1 w10$/),
      '',
    ]);
    const json = await cli(['--json', 'deployments', 'revisions', 'split']);
    expect(JSON.parse(json.stdout).map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
  });

  it('a split the server refuses is exit code 1 with its code; a malformed --variant is exit code 2', async () => {
    const refused = await cli(['deployments', 'variants', 'split', '--variant', 'name=A,version=1,weight=0']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: invalid_variants: /);

    const malformed = await cli(['deployments', 'variants', 'split', '--variant', 'name=A,weight=1']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(
      /argument 'name=A,weight=1' is invalid\. version missing: name=<variant>/,
    );
    expect((await cli(['deployments', 'variants', 'split'])).stderr).toMatch(
      /required option '--variant <spec>' not specified/,
    );
  });
});
