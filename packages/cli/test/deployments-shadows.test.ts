import { Modelport, type ShadowReport } from '@modelport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from '../../server/test/support/artifacts.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { cliFor } from './support/run.js';

const COPIES = 6;

let server: TestServer;
let cli: ReturnType<typeof cliFor>;
let mp: Modelport;
beforeAll(async () => {
  server = await startTestServer();
  cli = cliFor(server.url, server.adminKey);
  mp = new Modelport({ baseUrl: server.url, apiKey: server.adminKey });
  // Version 1 adds 1, version 2 adds 2: the shadow's every output is off by 1.
  await mp.models.create({ name: 'adder' });
  await mp.versions.upload('adder', addModel(1));
  await mp.versions.upload('adder', addModel(2));
  await mp.deployments.create({ model: 'adder', version: 1, threads: 1 });
});
afterAll(async () => {
  await server?.close();
});

async function infer(): Promise<void> {
  const res = await server.fetch('/v2/models/adder/infer', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }] }),
  });
  if (res.status !== 200) throw new Error(`infer: ${res.status} ${await res.text()}`);
}

/** Copies leave after production answered: polls until the shadow answered all `sent`. */
async function settled(sent: number): Promise<ShadowReport> {
  const until = Date.now() + 20_000;
  for (;;) {
    const [report] = await mp.deployments.shadows('adder');
    if (report && report.sent >= sent && report.compared + report.errors >= report.sent) return report;
    if (Date.now() > until) throw new Error(`the shadow never settled: ${JSON.stringify(report)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('modelport deployments shadows', () => {
  it('says how to add a shadow while the deployment has none', async () => {
    const res = await cli(['deployments', 'shadows', 'adder']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /^no shadow variants in the revision adder serves: add one beside the production variants with `modelport deployments variants adder --variant …,weight=0,role=shadow,sampling=10`\n$/,
    );
    expect(JSON.parse((await cli(['--json', 'deployments', 'shadows', 'adder'])).stdout)).toEqual([]);
  });

  it("compares a shadow with production: copies sent, latencies beside production's, outputs off by 1", async () => {
    const set = await cli([
      'deployments',
      'variants',
      'adder',
      '--variant',
      'name=prod,version=1,weight=100',
      '--variant',
      'name=mirror,version=2,weight=0,role=shadow,sampling=100',
    ]);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/\nmirror +2 +shadow +0 +- +100% +1\n$/);

    const before = await cli(['deployments', 'shadows', 'adder']);
    expect(before.stdout.split('\n')).toEqual([
      expect.stringMatching(
        /^VARIANT +SAMPLED +SENT +DROPPED +ERRORS +P50 MS \(PROD\) +P95 MS \(PROD\) +IDENTICAL +MEAN ABS DIFF$/,
      ),
      expect.stringMatching(/^mirror +100% +0 +0 +0 +- \(-\) +- \(-\) +0\/0 +-$/),
      '',
    ]);

    for (let i = 0; i < COPIES; i++) await infer();
    const report = await settled(COPIES);
    expect(report).toMatchObject({ sent: COPIES, dropped: 0, errors: 0, compared: COPIES, identical: 0 });

    const res = await cli(['deployments', 'shadows', 'adder']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const figure = String.raw`[\d.e+-]+`;
    expect(res.stdout.split('\n')[1]).toMatch(
      new RegExp(
        `^mirror +100% +${COPIES} +0 +0 +${figure} \\(${figure}\\) +${figure} \\(${figure}\\) +0/${COPIES} +1$`,
      ),
    );
    const json = JSON.parse((await cli(['deployments', 'shadows', 'adder', '--json'])).stdout);
    expect(json).toEqual([
      expect.objectContaining({ variant: 'mirror', samplingPercent: 100, sent: COPIES, compared: COPIES }),
    ]);
    expect(json[0].meanAbsDiff).toBeCloseTo(1, 6);
  });

  it('an unknown deployment exits 1 with deployment_not_found', async () => {
    const res = await cli(['deployments', 'shadows', 'nowhere']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: deployment_not_found: .*'nowhere'.* \(request \S+\)\n$/);
  });
});
