import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess } from './server-process.mjs';

let started = 0;
const entry = new URL('./bare-batch-server.mjs', import.meta.url).pathname;

/**
 * The thinnest batching server (lib/bare-batch-server.mjs) on an MLP with input `x` [n, 1024] and
 * output `y`: `mode` 'thread' runs the model on a worker thread (the hop a Modelport runner also
 * has), 'inline' on the HTTP thread itself; `maxBatch` 1 turns merging off. What plain node:http
 * and the same batching rule allow on this machine, beside Modelport's figure.
 */
export async function startBareBatch(bytes, { mode, maxBatch, delayMs = 2 }) {
  const modelFile = path.join(os.tmpdir(), `modelport-bench-bare-batch-${process.pid}-${++started}.onnx`);
  await writeFile(modelFile, bytes);
  const server = await startServerProcess({
    entry: [entry],
    env: {
      BARE_MODE: mode,
      BARE_MODEL_FILE: modelFile,
      BARE_INPUT: 'x',
      BARE_OUTPUT: 'y',
      BARE_WIDTH: '1024',
      BARE_MAX_BATCH: String(maxBatch),
      BARE_DELAY_MS: String(delayMs),
    },
  });
  const close = server.close;
  server.close = async () => {
    await close();
    await rm(modelFile, { force: true });
  };
  return server;
}
