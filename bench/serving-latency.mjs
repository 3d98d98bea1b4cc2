import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { figure, infoFigure } from './lib/figure.mjs';
import { timeSequential } from './lib/load-loops.mjs';
import { buildMatMulChain } from './lib/model-builders.mjs';
import { binaryInferRequest, binarySection, inferClient } from './lib/oip-client.mjs';
import { createSession, ort } from './lib/ort-session.mjs';
import { round, summarize } from './lib/percentiles.mjs';
import { withCpu } from './lib/proc-cpu.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { inferDurationMs } from './lib/server-timing.mjs';
import { squeezenetModel } from './lib/squeezenet-model.mjs';
import { randomFloats } from './lib/tensor-data.mjs';

const WARMUP = 30;
const BLOCKS = 12;
const BLOCK_SIZE = 25;

function benchModel() {
  const shared = squeezenetModel(1);
  if (shared) return shared;
  return {
    label: 'MatMul chain 8×1024² on [64,1024] (shared SqueezeNet absent)',
    bytes: buildMatMulChain(),
    input: { name: 'x', datatype: 'FP32', shape: [64, 1024], data: randomFloats(64 * 1024, 1) },
    ortType: 'float32',
    output: 'y',
  };
}

const bareServer = new URL('./lib/bare-pair-server.mjs', import.meta.url).pathname;

/**
 * The thinnest front + runner process pair (lib/bare-pair-server.mjs) serving the same model:
 * what two HTTP hops and a process split cost on this machine before any of Modelport's work.
 */
async function startBarePair(model, mode) {
  const modelFile = path.join(os.tmpdir(), `modelport-bench-bare-${process.pid}.onnx`);
  await writeFile(modelFile, model.bytes);
  return startServerProcess({
    entry: [bareServer],
    env: {
      BARE_MODE: mode,
      BARE_MODEL_FILE: modelFile,
      BARE_INPUT: JSON.stringify({
        name: model.input.name,
        ortType: model.ortType,
        shape: model.input.shape,
      }),
      BARE_OUTPUT: model.output,
    },
  });
}

/** Both paths must compute the same thing, or the comparison says nothing. */
function assertSameOutput(response, localOutputs, name) {
  const remote = binarySection(response);
  const local = localOutputs[name].data;
  const localBytes = Buffer.from(local.buffer, local.byteOffset, local.byteLength);
  if (!remote.equals(localBytes)) throw new Error(`server and in-process outputs of '${name}' differ`);
}

/**
 * Server p50 (binary tensors, concurrency 1) ÷ in-process `session.run()` p50 on the same model,
 * with the runner as a process (goal: within 10% of the bare process pair's ratio) and as a
 * thread of the API process (goal: within 10% of in-process).
 */
export async function servingLatency({ log }) {
  const model = benchModel();
  log(`model: ${model.label}`);
  const server = await startServerProcess();
  const client = inferClient(server.url, server.key);
  // The same server with usage rows committed in the background: what the ledger's commit costs.
  const background = await startServerProcess({ env: { MODELPORT_LEDGER_DURABILITY: 'async' } });
  const backgroundClient = inferClient(background.url, background.key);
  const bare = await startBarePair(model, 'process');
  const bareClient = inferClient(bare.url, '');
  // The same front with the model on a worker thread, and on its own thread (HTTP alone).
  const bareThread = await startBarePair(model, 'thread');
  const bareThreadClient = inferClient(bareThread.url, '');
  const bareInline = await startBarePair(model, 'inline');
  const bareInlineClient = inferClient(bareInline.url, '');
  let session;
  try {
    session = await createSession(model.bytes);
    const version = await server.api.register('latency', model.bytes);
    const deployment = await server.api.deploy('latency', 'latency', version);
    // The same version on a worker thread of the API process (isolation: "thread").
    await server.api.deploy('latency-thread', 'latency', version, { isolation: 'thread' });
    await background.api.registerAndDeploy('latency', model.bytes);
    const request = binaryInferRequest([model.input], [model.output]);
    const feeds = { [model.input.name]: new ort.Tensor(model.ortType, model.input.data, model.input.shape) };
    const runnerMs = [];
    const viaServer = async () => {
      const { headers } = await client.infer('latency', request);
      runnerMs.push(inferDurationMs(headers));
    };
    const inProcess = () => session.run(feeds);
    const viaThread = () => client.infer('latency-thread', request);
    const viaBackground = () => backgroundClient.infer('latency', request);
    const viaBare = () => bareClient.infer('latency', request);
    const viaBareThread = () => bareThreadClient.infer('latency', request);
    const viaBareInline = () => bareInlineClient.infer('latency', request);

    await timeSequential(WARMUP, viaServer);
    await timeSequential(WARMUP, inProcess);
    await timeSequential(WARMUP, viaBackground);
    await timeSequential(WARMUP, viaBare);
    await timeSequential(WARMUP, viaThread);
    await timeSequential(WARMUP, viaBareThread);
    await timeSequential(WARMUP, viaBareInline);
    const expected = await inProcess();
    assertSameOutput(await client.infer('latency', request), expected, model.output);
    assertSameOutput(await viaThread(), expected, model.output);
    assertSameOutput(await viaBare(), expected, model.output);
    assertSameOutput(await viaBareThread(), expected, model.output);
    assertSameOutput(await viaBareInline(), expected, model.output);
    runnerMs.length = 0;
    // Alternating blocks: background load on the machine then hits both sides alike.
    const serverMs = [];
    const localMs = [];
    const backgroundMs = [];
    const bareMs = [];
    const threadMs = [];
    const bareThreadMs = [];
    const bareInlineMs = [];
    const pids = { api: server.pid, runner: deployment.instances[0].pid, client: process.pid };
    const cpuMs = { api: 0, runner: 0, client: 0 };
    for (let b = 0; b < BLOCKS; b++) {
      const block = await withCpu(pids, () => timeSequential(BLOCK_SIZE, viaServer));
      serverMs.push(...block.result);
      for (const k of Object.keys(cpuMs)) cpuMs[k] += block.cpuMs[k];
      localMs.push(...(await timeSequential(BLOCK_SIZE, inProcess)));
      backgroundMs.push(...(await timeSequential(BLOCK_SIZE, viaBackground)));
      bareMs.push(...(await timeSequential(BLOCK_SIZE, viaBare)));
      threadMs.push(...(await timeSequential(BLOCK_SIZE, viaThread)));
      bareThreadMs.push(...(await timeSequential(BLOCK_SIZE, viaBareThread)));
      bareInlineMs.push(...(await timeSequential(BLOCK_SIZE, viaBareInline)));
    }
    const cpuPerRequestMs = Object.fromEntries(
      Object.entries(cpuMs).map(([k, ms]) => [k, round(ms / serverMs.length, 2)]),
    );
    const remote = summarize(serverMs);
    const local = summarize(localMs);
    const runner = summarize(runnerMs);
    const lazy = summarize(backgroundMs);
    const floor = summarize(bareMs);
    const thread = summarize(threadMs);
    const threadFloor = summarize(bareThreadMs);
    const httpFloor = summarize(bareInlineMs);
    const floorRatio = floor.p50Ms / local.p50Ms;
    return {
      id: 'serving-latency',
      title: `Serving overhead, ${model.label}, concurrency 1`,
      figures: [
        figure(
          'P1 isolation thread: server p50 ÷ in-process session.run() p50',
          thread.p50Ms / local.p50Ms,
          '<=',
          1.1,
        ),
        // With processes the goal is relative to the floor any two-process design has on this machine.
        figure(
          `P1 isolation process: server p50 ÷ in-process p50 (goal 1.10 × floor ${round(floorRatio, 2)})`,
          remote.p50Ms / local.p50Ms,
          '<=',
          round(1.1 * floorRatio, 2),
        ),
        infoFigure('floor: bare front + runner processes p50 ÷ in-process p50', floorRatio),
        infoFigure('floor: bare front + worker thread p50 ÷ in-process p50', threadFloor.p50Ms / local.p50Ms),
        infoFigure(
          'floor: bare front running the model itself (HTTP alone) p50 ÷ in-process p50',
          httpFloor.p50Ms / local.p50Ms,
        ),
        infoFigure('server (thread) p50 ÷ bare front + worker thread p50', thread.p50Ms / threadFloor.p50Ms),
        infoFigure('server (process) p50 ÷ bare front + runner p50', remote.p50Ms / floor.p50Ms),
        infoFigure('same, usage rows committed in the background (ledger async)', lazy.p50Ms / local.p50Ms),
      ],
      raw: {
        model: model.label,
        server: remote,
        inProcess: local,
        serverLedgerAsync: lazy,
        barePair: floor,
        bareThread: threadFloor,
        bareInline: httpFloor,
        serverThreadIsolation: thread,
        runnerComputeInsideServer: runner,
        cpuPerRequestMs,
        overheadP50Ms: round(remote.p50Ms - local.p50Ms),
      },
      lines: [
        `server, isolation process  p50 ${remote.p50Ms} ms  p99 ${remote.p99Ms} ms  (n=${remote.n})`,
        `server, isolation thread   p50 ${thread.p50Ms} ms  p99 ${thread.p99Ms} ms  (n=${thread.n})`,
        `in-process  p50 ${local.p50Ms} ms  p99 ${local.p99Ms} ms  (n=${local.n})`,
        `server, ledger async  p50 ${lazy.p50Ms} ms  p99 ${lazy.p99Ms} ms  (n=${lazy.n})`,
        `bare front + runner (node:http, no gateway)  p50 ${floor.p50Ms} ms  p99 ${floor.p99Ms} ms  (n=${floor.n})`,
        `bare front + worker thread  p50 ${threadFloor.p50Ms} ms  p99 ${threadFloor.p99Ms} ms  (n=${threadFloor.n})`,
        `bare front, model on its own thread  p50 ${httpFloor.p50Ms} ms  p99 ${httpFloor.p99Ms} ms  (n=${httpFloor.n})`,
        `runner compute (server-timing infer) p50 ${runner.p50Ms} ms`,
        `CPU per server request: api ${cpuPerRequestMs.api} ms, runner ${cpuPerRequestMs.runner} ms, ` +
          `bench client ${cpuPerRequestMs.client} ms`,
      ],
    };
  } finally {
    await client.close();
    await backgroundClient.close();
    await bareClient.close();
    await bareThreadClient.close();
    await bareInlineClient.close();
    await session?.release();
    await server.close();
    await background.close();
    await bare.close();
    await bareThread.close();
    await bareInline.close();
  }
}
