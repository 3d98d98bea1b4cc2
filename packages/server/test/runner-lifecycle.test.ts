import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKey } from '../src/auth/index.js';
import { addModel } from './support/artifacts.js';
import { alive, until } from './support/processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'packages/cli/dist/bin.js');

/** `modelport serve` as a real child process, as an operator runs it. */
async function serve(dataDir: string, port: number, adminKey: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      ...process.env,
      MODELPORT_PORT: String(port),
      MODELPORT_DATA_DIR: dataDir,
      MODELPORT_ADMIN_KEY: adminKey,
      MODELPORT_DEMO: 'false',
      MODELPORT_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const up = await until(
    () =>
      fetch(`http://127.0.0.1:${port}/health/live`)
        .then((r) => r.ok)
        .catch(() => false),
    20_000,
  );
  if (!up) throw new Error('server did not start');
  return child;
}

describe('runner processes', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('exit when the API process is killed with SIGKILL, and come back on restart', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mp-life-'));
    dirs.push(dataDir);
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const key = generateKey();
    const base = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const server = await serve(dataDir, port, key);
    await fetch(`${base}/api/v1/models`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'adder' }),
    });
    await fetch(`${base}/api/v1/models/adder/versions`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: addModel(1),
    });
    const deployed = await fetch(`${base}/api/v1/deployments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'adder' }),
    });
    const { instances } = (await deployed.json()) as { instances: { pid: number }[] };
    const runnerPid = instances[0]?.pid ?? 0;
    expect(alive(runnerPid)).toBe(true);

    server.kill('SIGKILL');
    expect(await until(() => !alive(runnerPid), 5_000, 50)).toBe(true);

    const again = await serve(dataDir, port, key);
    try {
      const restored = await until(async () => {
        const res = await fetch(`${base}/v2/models/adder/ready`, { headers });
        return res.status === 200;
      }, 20_000);
      expect(restored).toBe(true);
      const res = await fetch(`${base}/v2/models/adder/infer`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 1, 1, 1] }],
        }),
      });
      expect(((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data).toEqual([
        2, 2, 2, 2,
      ]);
    } finally {
      again.kill('SIGTERM');
      await until(() => again.exitCode !== null, 10_000, 50);
    }
  });
});
