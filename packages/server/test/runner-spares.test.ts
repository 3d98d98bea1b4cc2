import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { alive, until } from './support/processes.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

/** Child processes of this test process that are spare runners (booted with `--standby`). */
function spareRunners(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes('--standby')) pids.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return pids;
}

async function instancePids(t: TestServer, name: string): Promise<number[]> {
  const res = await t.fetch(`/api/v1/deployments/${name}`);
  const body = (await res.json()) as { instances: { pid: number | null; state: string }[] };
  return body.instances.filter((i) => i.state === 'ready').map((i) => i.pid ?? 0);
}

const infer = async (t: TestServer, name: string) =>
  (
    await t.fetch(`/v2/models/${name}/infer`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] }),
    })
  ).json() as Promise<{ outputs?: { data: number[] }[] }>;

describe.runIf(process.platform === 'linux')('spare runners', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  it('boots one after the first start; the next start takes it and serves with it; close ends it', async () => {
    expect(spareRunners()).toEqual([]);
    await deployModel(t, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
    expect(await until(() => spareRunners().length === 1, 20_000)).toBe(true);
    const [spare] = spareRunners();
    const res = await t.fetch('/api/v1/deployments/adder', {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ instances: 2 }),
    });
    expect(res.status).toBe(200);
    expect(await instancePids(t, 'adder')).toContain(spare);
    expect((await infer(t, 'adder')).outputs?.[0]?.data).toEqual([2, 3, 4, 5]);
    // Another stands by a little later.
    expect(await until(() => spareRunners().some((pid) => pid !== spare), 20_000)).toBe(true);
    const standing = spareRunners();
    await t.close();
    for (const pid of standing) expect(alive(pid)).toBe(false);
  }, 60_000);

  it('boots none when turned off', async () => {
    const off = await startTestServer({ env: { MODELPORT_RUNNER_SPARES: '0' } });
    try {
      await deployModel(off, { name: 'adder', bytes: addModel(1) }, { threads: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(spareRunners()).toEqual([]);
    } finally {
      await off.close();
    }
  }, 30_000);
});
