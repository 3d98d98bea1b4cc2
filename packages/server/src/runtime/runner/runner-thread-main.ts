import { setTimeout as delay } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../platform/errors/index.js';
import { maxFrameBytesOf, portFrameWriter, runnerSpecSchema } from '../../wire/runner/index.js';
import { type FrameSink, serveFrames } from './frame-connection.js';
import { framedInfer } from './framed-infer.js';
import type { ServedModel } from './served-model.js';
import { SharedMemoryRegions } from './shared-memory-regions.js';
import { startRunner } from './start-runner.js';

/** API side → runner thread: a frame's bytes (transferred), or `stop`. */
export type ToRunnerThread = ArrayBuffer | { type: 'stop' };

/**
 * Entry of a runner on a worker thread of the API process (`isolation: "thread"`,
 * docs/runner-protocol.md): the same model, queue and HTTP server as a runner process (on its Unix
 * socket: health, info, the other capabilities), and tensor frames over the thread's port, the
 * frames of one event-loop turn in one transferred buffer, read in place (`portFrameWriter`). Large
 * tensor sections come through the API's shared-memory slots, as for a process: read into buffers
 * this thread reuses, where a transferred buffer per request made the thread's heap collect its
 * old space every few dozen requests (external memory).
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runner-thread-main runs on a worker thread');
  const spec = runnerSpecSchema.parse(workerData);
  const { model, close } = await startRunner(spec, process.pid);
  const frames = portFrames(port, spec, model);
  port.on('message', async (msg: ToRunnerThread) => {
    if (msg instanceof ArrayBuffer) {
      frames?.deliver(msg);
      return;
    }
    if (msg.type === 'stop') {
      // As for a runner process: what is in flight is answered before the model goes.
      while ((frames?.inFlight() ?? 0) > 0) await delay(10);
      frames?.close();
      await close();
      await model.close();
      port.postMessage({ type: 'stopped' });
    }
  });
  port.postMessage({ type: 'ready', info: model.info() });
}

/** Frames of a tensor model over the port; a malformed one drops the sink and says so. */
function portFrames(
  port: NonNullable<typeof parentPort>,
  spec: Parameters<typeof maxFrameBytesOf>[0] & Parameters<typeof framedInfer>[0],
  model: ServedModel,
): { deliver(frame: ArrayBuffer): void; inFlight(): number; close(): void } | undefined {
  if (!model.capabilities.has('tensors')) return undefined;
  // The API process is this process: its regions are reached through our own /proc entry.
  const regions = new SharedMemoryRegions(process.pid);
  const infer = framedInfer(spec, model, regions);
  let sink: FrameSink | undefined;
  const writer = portFrameWriter((frames) => port.postMessage(frames, [frames]));
  const channel = {
    write: writer.write,
    destroy() {
      sink = undefined;
      writer.flush();
      port.postMessage({ type: 'frames-closed' });
    },
  };
  return {
    deliver(frame) {
      sink ??= serveFrames(channel, infer, maxFrameBytesOf(spec), false);
      sink.data(Buffer.from(frame));
    },
    inFlight: () => sink?.inFlight() ?? 0,
    close: () => regions.close(),
  };
}

main().catch((err: unknown) => {
  const named = isAppError(err) ? { code: err.code, ...(err.param ? { param: err.param } : {}) } : {};
  parentPort?.postMessage({
    type: 'failed',
    message: err instanceof Error ? err.message : String(err),
    ...named,
  });
});
