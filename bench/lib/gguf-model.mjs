import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeGgufTool, serverDist } from './paths.mjs';

const { defaultRunnerThreads } = await import(serverDist('engine/cpu-budget.js'));

/** Threads a lone runner gets by default (the API process keeps one core); baselines use the same. */
export const llmThreads = defaultRunnerThreads(1);

export const benchGgufLabel = '155M-parameter Q8_0 Llama (random weights, 165 MB)';

export const benchGgufWhy =
  'model from make-gguf: stories260K (~1 MB, cache-resident) is too small to be memory-bound';

/**
 * Writes make-gguf's default model into a temporary folder and runs `fn(file)`, deleting it after.
 * stories260K is too small to stand in: its ~1 MB of weights sit in cache, so a token costs mostly
 * fixed overhead; these 165 MB do not, so each token streams the weights from memory as a real one does.
 */
export async function withBenchGguf(fn) {
  if (!existsSync(makeGgufTool)) throw new Error(`${makeGgufTool} is missing: it writes the bench's GGUF`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-bench-gguf-'));
  // An interrupted run exits without reaching `finally`; 165 MB must not stay behind.
  const removeOnExit = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  try {
    const file = path.join(dir, 'llama-155m-q8.gguf');
    await promisify(execFile)(process.execPath, [makeGgufTool, '--out', file], { cwd: dir });
    return await fn(file);
  } finally {
    process.off('exit', removeOnExit);
    await rm(dir, { recursive: true, force: true });
  }
}
