import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxBackend, sessionOptionsFor } from '../../src/runtime/onnx/index.js';
import { identitySpec, scratchDir, writeModel } from '../support/onnx-model-files.js';
import { tensor } from '../support/sample-tensors.js';

const here = path.dirname(fileURLToPath(import.meta.url));

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let modelFile: string;
beforeAll(async () => {
  scratch = await scratchDir();
  modelFile = await writeModel(scratch.dir, 'identity.onnx', identitySpec('FP32', ['batch', 2]));
});
afterAll(async () => {
  await scratch.cleanup();
});

/**
 * onnxruntime's verbose "Session Options { … }" trace for a session created with `options`. It is
 * written by native code to the process's stdout, so the session is created in a child process.
 */
function sessionTrace(options: object): string {
  const script = `
    import * as ort from 'onnxruntime-node';
    const [file, json] = process.argv.slice(1);
    const options = { ...JSON.parse(json), logSeverityLevel: 0, logId: 'probe' };
    await (await ort.InferenceSession.create(file, options)).release();`;
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, modelFile, JSON.stringify(options)],
    { cwd: here, encoding: 'utf8', timeout: 20_000 },
  );
  expect(child.status, child.stderr).toBe(0);
  const output = `${child.stdout}\n${child.stderr}`;
  const trace = output.split('\n').find((line) => line.includes('Session Options {'));
  if (trace === undefined) throw new Error(`no session options trace in:\n${output.slice(0, 2000)}`);
  return trace;
}

describe('session options', () => {
  it('use the thread budget, sequential execution, full optimisation and no spinning', () => {
    expect(sessionOptionsFor(1, {})).toEqual({
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
    expect(sessionOptionsFor(2, { executionProviders: ['cpu'] })).toMatchObject({ intraOpNumThreads: 2 });
  });

  it('reach onnxruntime: both spinning keys are set and the intra-op pool has the budgeted size', () => {
    const trace = sessionTrace(sessionOptionsFor(2, {}));
    expect(trace).toContain('session.intra_op.allow_spinning: 0');
    expect(trace).toContain('session.inter_op.allow_spinning: 0');
    expect(trace).toMatch(/intra_op_param:OrtThreadPoolParams \{ thread_pool_size: 2 /);
    expect(trace).toMatch(/inter_op_param:OrtThreadPoolParams \{ thread_pool_size: 1 /);
    expect(trace).toContain('execution_mode:0');
  });

  it('the trace tells the difference: without the extra entries no spinning key is set', () => {
    const { extra: _, ...withoutExtra } = sessionOptionsFor(1, {});
    const trace = sessionTrace(withoutExtra);
    expect(trace).not.toContain('allow_spinning: 0 ');
    expect(trace).toContain('config_options: {  }');
  });

  it.each([1, 2])('a session with %i thread(s) runs', async (threads) => {
    const model = await onnxBackend.load({ path: modelFile, threads, options: {} });
    const x = Float32Array.of(1, 2, 3, 4);
    const { outputs } = await model.infer({ inputs: [tensor('x', 'FP32', [2, 2], x)] });
    expect(outputs[0]?.data).toEqual(x);
    await model.unload();
  });
});
