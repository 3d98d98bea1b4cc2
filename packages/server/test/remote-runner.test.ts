import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { deploymentSettingsSchema } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Engine,
  localRunnerHosts,
  RemoteRunnerHost,
  type RunnerHostFactory,
  type RunnerTiming,
  type ServingPlan,
} from '../src/engine/index.js';
import { runnerEntryPath } from '../src/engine/runner-entry.js';
import { AppError } from '../src/platform/errors/index.js';
import { createLogger } from '../src/platform/index.js';
import { encodeInferRequest, parseInferResponse } from '../src/wire/oip/index.js';
import type { RunnerSpec } from '../src/wire/runner/index.js';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { until } from './support/processes.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** Short health intervals, so a runner that stops answering is marked down within a second. */
const timing: RunnerTiming = {
  startTimeoutMs: 30_000,
  healthIntervalMs: 100,
  healthFailures: 2,
  backoffMinMs: 100,
  backoffMaxMs: 400,
};
const log = createLogger('silent');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A runner started by hand, as on another host: the compiled entry with a TCP listen address and
 * no IPC channel, serving the [x + 1] ONNX model until it is killed.
 */
class HandStartedRunner {
  private child: ChildProcess | undefined;
  constructor(private readonly spec: RunnerSpec) {}

  get url(): string {
    const listen = this.spec.listen as { host: string; port: number };
    return `http://${listen.host}:${listen.port}`;
  }

  start(): void {
    this.child = spawn(process.execPath, [runnerEntryPath(), JSON.stringify(this.spec)], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

async function handStartedRunner(dir: string): Promise<HandStartedRunner> {
  const modelPath = path.join(dir, 'add1.onnx');
  await writeFile(modelPath, addModel(1));
  return new HandStartedRunner({
    listen: { host: '127.0.0.1', port: await freePort() },
    backend: 'onnx',
    modelPath,
    modelName: 'remote-adder',
    modelVersion: '1',
    threads: 1,
    options: {},
    batching: { maxBatchSize: 4, maxQueueDelayMs: 0 },
    maxQueueSize: 64,
    timeoutMs: 5_000,
    maxBodyBytes: 1 << 20,
  });
}

/** Instances of the deployment named `remote-adder` run on the hand-started runner; others locally. */
function remoteFactory(runner: HandStartedRunner): RunnerHostFactory {
  const local = localRunnerHosts();
  return (request) =>
    request.launch.modelName === 'remote-adder'
      ? new RemoteRunnerHost({ url: runner.url }, request.launch, request.log, timing)
      : local(request);
}

const x = [1, 2, 3, 4];

describe('an engine serving through a runner on another host', () => {
  let dir: string;
  let runner: HandStartedRunner;
  let engine: Engine;
  const plan: ServingPlan = {
    deploymentId: 'dep_remote',
    name: 'remote-adder',
    variant: 'default',
    modelName: 'remote-adder',
    task: 'tensor',
    version: 1,
    backend: 'onnx',
    artifactPath: '/nonexistent/the-remote-runner-has-its-own',
    settings: deploymentSettingsSchema.parse({}),
    threads: 1,
    maxBodyBytes: 1 << 20,
    instanceBytes: 200 * 2 ** 20,
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mp-remote-'));
    runner = await handStartedRunner(dir);
    runner.start();
    // 1 MiB: less than any local instance's estimate, so only a runner elsewhere can start under it.
    engine = new Engine(log, { memoryBudgetBytes: 2 ** 20, hosts: remoteFactory(runner) });
  });
  afterAll(async () => {
    await engine?.close();
    await runner?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  const infer = async (): Promise<number[]> => {
    const pool = await engine.loaded(plan.deploymentId);
    const encoded = encodeInferRequest(
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: Float32Array.from(x) }] },
      { binary: true },
    );
    const reply = await engine.forward(pool, '/v2/models/remote-adder/infer', {
      ...encoded,
      timeoutMs: 5_000,
    });
    expect(reply.status).toBe(200);
    const headerLength = Number(reply.headers['inference-header-content-length']);
    const [y] = parseInferResponse(reply.body, headerLength).outputs;
    if (!y) throw new Error('no output');
    return [...(y.data as Float32Array)];
  };

  it('starts once the runner answers, learns its model over HTTP, and infers through it', async () => {
    await engine.start(plan);
    const pool = engine.pool(plan.deploymentId);
    const host = pool?.instances[0]?.host;
    expect(host).toBeInstanceOf(RemoteRunnerHost);
    expect(host?.state).toBe('ready');
    expect(host?.pid).toBeUndefined();
    expect(pool?.info?.inputs.map((i) => i.name)).toEqual(['x']);
    // Its memory is the other host's: nothing of this process's budget.
    expect(host?.memoryBytes(plan.instanceBytes)).toBe(0);
    expect(engine.usedBytes()).toBe(0);
    expect(await infer()).toEqual([2, 3, 4, 5]);
  });

  it('marks the runner down when it stops answering (503 model_not_ready), and serves again once it is back', async () => {
    await runner.kill();
    const host = engine.pool(plan.deploymentId)?.instances[0]?.host;
    expect(await until(() => host?.state === 'down', 5_000)).toBe(true);
    expect(engine.status(plan.deploymentId)).toBe('down');
    const refused = await infer().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('model_not_ready');
    expect((refused as AppError).retryAfterS).toBe(1);

    runner.start();
    expect(await until(() => host?.state === 'ready', 20_000)).toBe(true);
    expect(host?.restarts).toBe(1);
    expect(await infer()).toEqual([2, 3, 4, 5]);
  }, 30_000);
});

describe('a deployment whose runner is on another host, through the HTTP API', () => {
  let dir: string;
  let runner: HandStartedRunner;
  let t: TestServer;
  const json = { 'content-type': 'application/json' };
  const inferBody = JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: x }] });
  const infer = () =>
    t.fetch('/v2/models/remote-adder/infer', { method: 'POST', headers: json, body: inferBody });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mp-remote-'));
    runner = await handStartedRunner(dir);
    runner.start();
    t = await startTestServer({ runnerHosts: remoteFactory(runner) });
    await deployModel(t, { name: 'remote-adder', bytes: addModel(1) });
    await deployModel(t, { name: 'local-adder', bytes: addModel(2) });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await runner?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves it like a local one, with no process of its own on this host', async () => {
    const res = await infer();
    expect(res.status).toBe(200);
    expect(((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data).toEqual([2, 3, 4, 5]);
    const remote = (await (await t.fetch('/api/v1/deployments/remote-adder')).json()) as {
      status: string;
      instances: { pid: number | null; state: string }[];
    };
    expect(remote.status).toBe('ready');
    expect(remote.instances).toEqual([expect.objectContaining({ pid: null, state: 'ready' })]);
    const local = (await (await t.fetch('/api/v1/deployments/local-adder')).json()) as {
      instances: { pid: number | null }[];
    };
    expect(local.instances[0]?.pid).toBeGreaterThan(0);
  });

  it('answers 503 model_not_ready with Retry-After while the runner is gone, and serves again once it is back', async () => {
    await runner.kill();
    let refused = await infer();
    for (let i = 0; i < 100 && refused.status !== 503; i++) {
      await new Promise((r) => setTimeout(r, 50));
      refused = await infer();
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: string }).error).toMatch(/no ready instance/);
    const metrics = await (await t.fetch('/metrics')).text();
    expect(metrics).toMatch(
      /modelport_inference_request_failure_total\{model="remote-adder",version="1",code="model_not_ready"\} [1-9]/,
    );
    const local = await t.fetch('/v2/models/local-adder/infer', {
      method: 'POST',
      headers: json,
      body: inferBody,
    });
    expect(local.status).toBe(200);

    runner.start();
    expect(await until(async () => (await infer()).status === 200, 20_000, 100)).toBe(true);
    const res = await infer();
    expect(((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data).toEqual([2, 3, 4, 5]);
  }, 30_000);
});
