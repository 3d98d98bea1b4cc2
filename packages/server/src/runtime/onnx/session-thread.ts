import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { PlainTensor, RunMessage, SessionThreadData, ThreadReply } from './session-thread-protocol.js';

/**
 * One onnxruntime session on its own thread: `run()` blocks the thread that calls it for the whole
 * inference, so here it leaves the runner's event loop free to take, batch and answer requests.
 */
const { modelFile, options } = workerData as SessionThreadData;
const port = parentPort;
if (!port) throw new Error('session-thread runs as a worker thread');

const toPlain = (t: ort.Tensor): PlainTensor => ({ type: t.type, data: t.data, dims: [...t.dims] });

function transferablesOf(outputs: Record<string, PlainTensor>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const t of Object.values(outputs)) {
    if (ArrayBuffer.isView(t.data) && t.data.buffer instanceof ArrayBuffer) buffers.add(t.data.buffer);
  }
  return [...buffers];
}

async function serve(session: ort.InferenceSession): Promise<void> {
  port?.on('message', async (msg: RunMessage | 'release') => {
    if (msg === 'release') {
      await session.release();
      port.postMessage({ type: 'released' } satisfies ThreadReply);
      return;
    }
    try {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(msg.feeds)) {
        feeds[name] = new ort.Tensor(t.type as ort.Tensor.Type, t.data as ort.Tensor.DataType, t.dims);
      }
      const results = await session.run(feeds, msg.outputNames);
      const outputs: Record<string, PlainTensor> = {};
      for (const name of msg.outputNames) {
        const value = results[name];
        if (value) outputs[name] = toPlain(value as ort.Tensor);
      }
      // Each output has its own ArrayBuffer: handed over, not copied.
      port.postMessage({ type: 'ran', id: msg.id, outputs } satisfies ThreadReply, transferablesOf(outputs));
    } catch (err) {
      port.postMessage({ type: 'failed', id: msg.id, message: (err as Error).message } satisfies ThreadReply);
    }
  });
}

ort.InferenceSession.create(modelFile, options).then(
  (session) => {
    port.postMessage({
      type: 'loaded',
      inputMetadata: session.inputMetadata,
      outputMetadata: session.outputMetadata,
    } satisfies ThreadReply);
    return serve(session);
  },
  (err: unknown) => {
    port.postMessage({
      type: 'load-failed',
      message: (err as Error).message ?? String(err),
    } satisfies ThreadReply);
  },
);
