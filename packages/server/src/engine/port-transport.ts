import type { Worker } from 'node:worker_threads';
import { portFrameWriter } from '../wire/runner/index.js';
import type { FrameTransport, TransportEvents } from './frame-client.js';

/**
 * Frames to and from a runner thread: the frames of one event-loop turn in one buffer,
 * transferred (never cloned) both ways, so the runner reads the requests where the API wrote them.
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
    const writer = portFrameWriter((frames) => worker.postMessage(frames, [frames]));
    return {
      write: writer.write,
      destroy() {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      },
    };
  };
}
