import type { Worker } from 'node:worker_threads';
import type { FrameTransport, TransportEvents } from './frame-client.js';

/**
 * Frames to and from a runner thread: each frame one buffer, transferred (never cloned) both
 * ways, so the runner reads the request where the API wrote it.
 */
export function portTransport(worker: Worker): (events: TransportEvents) => FrameTransport {
  return (events) => {
    const onMessage = (msg: unknown) => {
      if (msg instanceof ArrayBuffer) events.data(Buffer.from(msg));
      else if ((msg as { type?: string } | null)?.type === 'frames-closed')
        events.closed('the runner thread closed its frames');
    };
    const onExit = () => events.closed('the runner thread exited');
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    return {
      write(parts) {
        let total = 0;
        for (const part of parts) total += part.length;
        const frame = new Uint8Array(new ArrayBuffer(total));
        let at = 0;
        for (const part of parts) {
          frame.set(part, at);
          at += part.length;
        }
        worker.postMessage(frame.buffer, [frame.buffer]);
      },
      destroy() {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      },
    };
  };
}
