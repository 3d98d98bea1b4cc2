import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalRunnerHost } from '../src/engine/local-runner-host.js';
import type { RunnerTiming } from '../src/engine/runner-timing.js';
import { ThreadRunnerHost } from '../src/engine/thread-runner-host.js';
import { createLogger } from '../src/platform/index.js';
import { encodeInferRequest } from '../src/wire/oip/index.js';
import type { RunnerSpec } from '../src/wire/runner/index.js';
import { slowModelBytes } from './support/misbehaving-models.js';
import { scratchDir, writeModel } from './support/onnx-model-files.js';
import { until } from './support/processes.js';

/** Health checked every 100 ms, down after two misses: a run of a second misses several. */
const timing: RunnerTiming = {
  startTimeoutMs: 30_000,
  healthIntervalMs: 100,
  healthFailures: 2,
  backoffMinMs: 60_000,
  backoffMaxMs: 60_000,
};

// Rows through the slow model's MatMul chain: about 45 ms each here, so one run takes seconds.
const ROWS = 40;
const request = encodeInferRequest(
  { inputs: [{ name: 'x', datatype: 'FP32', shape: [ROWS, 4], data: new Float32Array(ROWS * 4) }] },
  { binary: true },
);

describe('a runner busy with a long run (the session runs on its own thread, so health waits)', () => {
  let launch: Omit<RunnerSpec, 'listen' | 'timeoutMs'>;
  let host: LocalRunnerHost | ThreadRunnerHost | undefined;
  beforeAll(async () => {
    const scratch = await scratchDir();
    launch = {
      backend: 'onnx',
      modelPath: await writeModel(scratch.dir, 'slow.onnx', slowModelBytes()),
      modelName: 'slow',
      modelVersion: '1',
      threads: 1,
      options: {},
      batching: { maxBatchSize: 1, maxQueueDelayMs: 0 },
      maxQueueSize: 8,
      maxBodyBytes: 8 << 20,
    };
    return () => scratch.cleanup();
  });
  afterEach(async () => {
    await host?.stop(1_000);
    host = undefined;
  });

  for (const isolation of ['process', 'thread'] as const) {
    it(`is not taken down while the run is within the deadline (${isolation})`, async () => {
      const spec = { ...launch, timeoutMs: 60_000 };
      const log = createLogger('silent');
      host =
        isolation === 'process'
          ? new LocalRunnerHost(spec, log, timing)
          : new ThreadRunnerHost(spec, log, timing);
      await host.start();
      const started = performance.now();
      const reply = await host.connection?.sendTensors('/v2/models/slow/infer', {
        ...request,
        timeoutMs: 60_000,
      });
      const ranMs = performance.now() - started;
      expect(reply?.status).toBe(200);
      // The run outlasted several health intervals, and the runner was left alone.
      expect(ranMs).toBeGreaterThan(3 * timing.healthIntervalMs * timing.healthFailures);
      expect(host.restarts).toBe(0);
      expect(host.state).toBe('ready');
    }, 60_000);
  }

  it('is taken down once a run outlasts the deadline without an answer', async () => {
    // A deadline far shorter than the run: past it, missed health checks count again.
    const spec = { ...launch, timeoutMs: 150 };
    host = new LocalRunnerHost(spec, createLogger('silent'), timing);
    await host.start();
    const started = performance.now();
    const reply = host.connection?.sendTensors('/v2/models/slow/infer', { ...request, timeoutMs: 60_000 });
    await expect(reply).rejects.toMatchObject({ code: 'runner_failed' });
    // Ended by its supervisor before the run could finish (about 1.8 s here).
    expect(performance.now() - started).toBeLessThan(1_500);
    const ended = host;
    expect(await until(() => ended.state !== 'ready', 5_000)).toBe(true);
  }, 60_000);
});
