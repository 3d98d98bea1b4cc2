import { figure } from './lib/figure.mjs';
import { runLoops } from './lib/load-loops.mjs';
import { buildIdentity } from './lib/model-builders.mjs';
import { binaryInferRequest, inferClient, jsonInferRequest } from './lib/oip-client.mjs';
import { round, summarize } from './lib/percentiles.mjs';
import { withCpu } from './lib/proc-cpu.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { randomFloats } from './lib/tensor-data.mjs';

/** /proc CPU times tick every 10 ms: seconds of load per kind keep that error near 1%. */
const ROUNDS = 3;
const ROUND_MS = 1_000;
const WARMUP_MS = 1_000;

/**
 * API-process CPU per request for a 1×3×224×224 FP32 tensor sent and answered as binary versus as
 * JSON. The server runs in its own process so its CPU time excludes the client; the runner is a
 * further process, so model execution is excluded too.
 */
export async function binaryVsJsonCpu({ log }) {
  const server = await startServerProcess();
  const client = inferClient(server.url, server.key);
  try {
    await server.api.registerAndDeploy('identity', buildIdentity());
    // Pixel-like values normalised the ImageNet way; JSON then carries float32 values printed as doubles.
    const input = {
      name: 'x',
      datatype: 'FP32',
      shape: [1, 3, 224, 224],
      data: randomFloats(150_528, 3, -2.1, 2.6),
    };
    const kinds = {
      binary: binaryInferRequest([input], ['y']),
      json: jsonInferRequest([input]),
    };
    const fns = Object.fromEntries(
      Object.entries(kinds).map(([kind, request]) => [kind, () => client.infer('identity', request)]),
    );
    for (const fn of Object.values(fns)) await runLoops({ concurrency: 1, durationMs: WARMUP_MS, fn });
    const acc = Object.fromEntries(
      Object.keys(kinds).map((k) => [k, { cpuMs: 0, machineMs: 0, wallMs: 0, latencies: [] }]),
    );
    // Alternating rounds: background load on the machine (which /proc time also feels) hits both alike.
    for (let r = 0; r < ROUNDS; r++) {
      for (const [kind, fn] of Object.entries(fns)) {
        const { result, cpuMs, wallMs } = await withCpu({ api: server.pid }, () =>
          runLoops({ concurrency: 1, durationMs: ROUND_MS, fn }),
        );
        acc[kind].cpuMs += cpuMs.api;
        acc[kind].machineMs += cpuMs.machine;
        acc[kind].wallMs += wallMs;
        acc[kind].latencies.push(...result.latencies);
      }
    }
    const results = Object.fromEntries(
      Object.entries(acc).map(([kind, a]) => [
        kind,
        {
          requestBytes: kinds[kind].body.length,
          requests: a.latencies.length,
          apiCpuMsPerRequest: round(a.cpuMs / a.latencies.length),
          machineBusyPercent: Math.round((100 * a.machineMs) / a.wallMs),
          ...summarize(a.latencies),
        },
      ]),
    );
    log(
      `API CPU per request: binary ${results.binary.apiCpuMsPerRequest} ms, json ${results.json.apiCpuMsPerRequest} ms`,
    );
    const { binary, json } = results;
    const line = (name, r) =>
      `${name.padEnd(6)} ${r.apiCpuMsPerRequest} ms API CPU/request  (${r.requests} requests of ` +
      `${(r.requestBytes / 1e6).toFixed(2)} MB)  latency p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  ` +
      `machine busy ${r.machineBusyPercent}%`;
    return {
      id: 'binary-vs-json-cpu',
      title: 'API-process CPU per request, FP32 1×3×224×224 through Identity',
      figures: [
        figure(
          'API CPU/request binary ÷ JSON',
          binary.apiCpuMsPerRequest / json.apiCpuMsPerRequest,
          '<=',
          0.2,
        ),
      ],
      raw: { binary, json },
      lines: [line('binary', binary), line('json', json)],
    };
  } finally {
    await client.close();
    await server.close();
  }
}
