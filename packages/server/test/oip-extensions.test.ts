import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };

function inferBody(values: number[], rows = 1) {
  return JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [rows, 4], data: values }] });
}

/** Triton's extensions beside the Open Inference Protocol: model configuration and statistics. */
describe('Triton extensions over the Open Inference Protocol', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await deployModel(
      t,
      { name: 'adder', bytes: addModel(1) },
      { instances: 1, batching: { maxBatchSize: 8, maxQueueDelayMs: 2 } },
    );
  }, 60_000);
  afterAll(() => t.close());

  it("answers the model configuration in Triton's terms (model_configuration extension)", async () => {
    const server = (await (await t.fetch('/v2')).json()) as { extensions: string[] };
    expect(server.extensions).toContain('model_configuration');
    const res = await t.fetch('/v2/models/adder/config');
    expect(res.status).toBe(200);
    const config = (await res.json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      name: 'adder',
      platform: 'onnxruntime_onnx',
      backend: 'onnxruntime',
      version_policy: { specific: { versions: [1] } },
      max_batch_size: 8,
      input: [{ name: 'x', data_type: 'TYPE_FP32', dims: [4] }],
      output: [{ name: 'y', data_type: 'TYPE_FP32', dims: [4] }],
      dynamic_batching: {
        preferred_batch_size: [],
        max_queue_delay_microseconds: 2000,
        default_queue_policy: {
          timeout_action: 'REJECT',
          default_timeout_microseconds: 30_000_000,
          max_queue_size: 256,
        },
      },
      instance_group: [{ name: 'adder_0', kind: 'KIND_CPU', count: 1 }],
    });
    expect(config.parameters).toEqual({
      intra_op_thread_count: { string_value: expect.stringMatching(/^[1-9]\d*$/) },
    });
    expect((await t.fetch('/v2/models/adder/versions/1/config')).status).toBe(200);
    const wrong = await t.fetch('/v2/models/adder/versions/2/config');
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as { error: string }).error).toContain('serves version 1');
    expect((await t.fetch('/v2/models/nothing/config')).status).toBe(404);
  });

  it("reports per-version statistics in Triton's terms (statistics extension)", async () => {
    interface Duration {
      count: number;
      ns: number;
    }
    interface ModelStats {
      name: string;
      version: string;
      last_inference: number;
      inference_count: number;
      execution_count: number;
      inference_stats: Record<'success' | 'fail' | 'queue' | 'compute_infer', Duration>;
      batch_stats: { batch_size: number; compute_infer: Duration }[];
    }
    const stats = async (path: string) => {
      const res = await t.fetch(path);
      expect(res.status).toBe(200);
      return ((await res.json()) as { model_stats: ModelStats[] }).model_stats;
    };
    const server = (await (await t.fetch('/v2')).json()) as { extensions: string[] };
    expect(server.extensions).toContain('statistics');
    const [before] = await stats('/v2/models/adder/versions/1/stats');
    for (let i = 0; i < 3; i++) {
      const res = await t.fetch('/v2/models/adder/infer', {
        method: 'POST',
        headers: json,
        body: inferBody([1, 2, 3, 4, 5, 6, 7, 8], 2),
      });
      expect(res.status).toBe(200);
    }
    const bad = await t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        inputs: [{ name: 'nope', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }],
      }),
    });
    expect(bad.status).toBe(400);
    const [after] = await stats('/v2/models/adder/versions/1/stats');
    if (!before || !after) throw new Error('no statistics for adder version 1');
    const delta = (d: (s: ModelStats) => number) => d(after) - d(before);
    expect([after.name, after.version]).toEqual(['adder', '1']);
    // Three requests of two rows, each run alone (sequential), and one refused.
    expect(delta((s) => s.inference_count)).toBe(6);
    expect(delta((s) => s.execution_count)).toBe(3);
    expect(delta((s) => s.inference_stats.success.count)).toBe(3);
    expect(delta((s) => s.inference_stats.fail.count)).toBe(1);
    expect(delta((s) => s.inference_stats.queue.count)).toBe(3);
    const inferNs = delta((s) => s.inference_stats.compute_infer.ns);
    expect(inferNs).toBeGreaterThan(0);
    expect(delta((s) => s.inference_stats.success.ns)).toBeGreaterThan(inferNs);
    expect(after.batch_stats.find((b) => b.batch_size === 2)?.compute_infer.count).toBeGreaterThanOrEqual(3);
    expect(after.last_inference).toBeGreaterThan(Date.now() - 60_000);

    const all = await stats('/v2/models/stats');
    expect(all.map((s) => [s.name, s.version])).toContainEqual(['adder', '1']);
    expect((await stats('/v2/models/adder/stats')).map((s) => s.version)).toEqual(['1']);
    expect((await t.fetch('/v2/models/adder/versions/7/stats')).status).toBe(404);
    expect((await t.fetch('/v2/models/nothing/stats')).status).toBe(404);
  });
});
