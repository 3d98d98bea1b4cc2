import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTaskModel, parseTransformersOptions } from '../../src/runtime/transformers/index.js';
import { pipelineOptions } from '../../src/runtime/transformers/load-pipeline.js';
import { type TinyBertFolders, writeTinyBert } from '../support/tiny-bert.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const options = parseTransformersOptions({ task: 'text-classification' });

let bert: TinyBertFolders;
beforeAll(async () => {
  bert = await writeTinyBert();
});
afterAll(async () => {
  await bert?.cleanup();
});

/**
 * onnxruntime's verbose "Session Options { … }" trace of a session transformers.js creates with
 * `pipelineOptions`. Native code writes it to the process's stdout, so the pipeline loads in a
 * child process, with the network refused there too.
 */
function sessionTrace(folder: string, threads: number): string {
  const script = `
    import { env, pipeline } from '@huggingface/transformers';
    const [folder, json] = process.argv.slice(1);
    env.allowRemoteModels = false;
    env.useFSCache = false;
    env.fetch = async (url) => { throw new Error('fetch ' + url); };
    const options = JSON.parse(json);
    options.session_options = { ...options.session_options, logSeverityLevel: 0, logId: 'probe' };
    await (await pipeline('text-classification', folder, options)).dispose();`;
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, folder, JSON.stringify(pipelineOptions('fp32', threads))],
    { cwd: here, encoding: 'utf8', timeout: 30_000 },
  );
  expect(child.status, child.stderr).toBe(0);
  const output = `${child.stdout}\n${child.stderr}`;
  const trace = output.split('\n').find((line) => line.includes('Session Options {'));
  if (trace === undefined) throw new Error(`no session options trace in:\n${output.slice(0, 2000)}`);
  return trace;
}

function osThreads(): number {
  return Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
}

describe('onnxruntime session options through transformers.js 4.3.1', () => {
  it('reach onnxruntime: the budgeted intra-op pool, one inter-op thread, no spinning', () => {
    const trace = sessionTrace(bert.classifier, 3);
    expect(trace).toMatch(/intra_op_param:OrtThreadPoolParams \{ thread_pool_size: 3 /);
    expect(trace).toMatch(/inter_op_param:OrtThreadPoolParams \{ thread_pool_size: 1 /);
    expect(trace).toContain('session.intra_op.allow_spinning: 0');
    expect(trace).toContain('session.inter_op.allow_spinning: 0');
  });

  it.runIf(process.platform === 'linux')(
    'size the pool the runner loads: threads - 1 workers per session',
    async () => {
      // The first load starts what any load starts (the libuv pool, onnxruntime's environment).
      const warm = await loadTaskModel({ folder: bert.classifier, options, threads: 1 });
      const before = osThreads();
      const one = await loadTaskModel({ folder: bert.classifier, options, threads: 1 });
      const afterOne = osThreads();
      const three = await loadTaskModel({ folder: bert.classifier, options, threads: 3 });
      const afterThree = osThreads();
      await Promise.all([warm, one, three].map((m) => m.dispose()));
      expect(afterOne - before).toBe(0);
      expect(afterThree - afterOne).toBe(2);
    },
  );
});
