import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serverDist } from './paths.mjs';

/**
 * Throughput of one runner reached straight through the engine's client (frames on its Unix
 * socket, shared memory for large sections), without the API's HTTP front or gateway: what the
 * runner protocol and the batcher allow on this machine, beside the end-to-end figure.
 */
export async function runnerDirectReqPerS(bytes, { maxBatchSize, concurrency, durationMs, input }) {
  const { LocalRunnerHost } = await import(serverDist('engine/local-runner-host.js'));
  const { SharedMemorySlots } = await import(serverDist('engine/shared-memory-slots.js'));
  const { defaultRunnerTiming } = await import(serverDist('engine/runner-timing.js'));
  const { createLogger } = await import(serverDist('platform/index.js'));
  const { encodeInferRequest } = await import(serverDist('wire/oip/index.js'));
  const modelPath = path.join(os.tmpdir(), `modelport-bench-direct-${process.pid}.onnx`);
  await writeFile(modelPath, bytes);
  const host = new LocalRunnerHost(
    {
      backend: 'onnx',
      modelPath,
      modelName: 'direct',
      modelVersion: '1',
      threads: 1,
      options: {},
      batching: { maxBatchSize, maxQueueDelayMs: 2 },
      maxQueueSize: 256,
      timeoutMs: 60_000,
      maxBodyBytes: 64 << 20,
    },
    createLogger('silent'),
    defaultRunnerTiming,
    SharedMemorySlots.create({ maxSlots: 64, retainBytes: 16 << 20 }),
  );
  await host.start();
  try {
    const request = { ...encodeInferRequest({ inputs: [input] }, { binary: true }), timeoutMs: 60_000 };
    const send = async () => {
      const reply = await host.connection.sendTensors('/v2/models/direct/infer', request);
      if (reply.status !== 200) throw new Error(`runner answered ${reply.status}: ${reply.body}`);
    };
    const loops = async (ms) => {
      let count = 0;
      const end = performance.now() + ms;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < end) {
            await send();
            count++;
          }
        }),
      );
      return (count / (performance.now() - start)) * 1000;
    };
    await loops(300);
    return await loops(durationMs);
  } finally {
    await host.stop(1_000);
  }
}
