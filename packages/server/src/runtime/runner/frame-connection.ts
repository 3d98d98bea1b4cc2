import type { Socket } from 'node:net';
import {
  encodeFrame,
  type Frame,
  FrameReader,
  frameWriter,
  type InferFrameMeta,
} from '../../wire/runner/index.js';
import type { FramedInferHandler } from './framed-infer.js';

/** Where replies go: a Unix socket (a runner process) or the API's port (a runner thread). */
export interface FrameChannel {
  write(parts: Buffer[]): void;
  destroy(): void;
}

/** What the channel reports to the frame server. */
export interface FrameSink {
  data(chunk: Buffer): void;
  closed(): void;
  /** Requests received and not answered yet. */
  inFlight(): number;
}

/**
 * One framed connection from the API process: infer frames run concurrently (the batcher merges
 * them), each reply goes back under its request's id as soon as it is ready. A cancel frame or the
 * connection's end withdraws the requests it concerns. A malformed frame closes the connection,
 * which the API side sees as the runner failing every request in flight on it.
 */
export function serveFrames(
  channel: FrameChannel,
  infer: FramedInferHandler,
  maxFrameBytes: number,
  expectPreface: boolean,
): FrameSink {
  const reader = new FrameReader(maxFrameBytes, expectPreface);
  const running = new Map<number, AbortController>();
  let open = true;
  const close = (why: string) => {
    process.stderr.write(`runner: closing a framed connection: ${why}\n`);
    open = false;
    channel.destroy();
  };
  const run = (frame: Frame) => {
    const abort = new AbortController();
    running.set(frame.id, abort);
    void infer(frame.meta as unknown as InferFrameMeta, frame.payload, abort.signal).then((reply) => {
      running.delete(frame.id);
      if (!open || abort.signal.aborted) return;
      channel.write(encodeFrame('reply', frame.id, reply.meta, reply.payload));
    });
  };
  return {
    data(chunk) {
      if (!open) return;
      let frames: Frame[];
      try {
        frames = reader.push(chunk);
      } catch (err) {
        close((err as Error).message);
        return;
      }
      for (const frame of frames) {
        if (frame.kind === 'cancel') running.get(frame.id)?.abort();
        else if (frame.kind === 'infer') run(frame);
        else return close(`unexpected ${frame.kind} frame`);
      }
    },
    inFlight: () => running.size,
    closed() {
      open = false;
      for (const abort of running.values()) abort.abort();
      running.clear();
    },
  };
}

/** A framed connection on the runner's Unix socket; `first` is the chunk that carried the preface. */
export function serveFrameSocket(
  socket: Socket,
  infer: FramedInferHandler,
  maxFrameBytes: number,
  first: Buffer,
): FrameSink {
  const sink = serveFrames(
    {
      write: frameWriter(socket),
      destroy: () => socket.destroy(),
    },
    infer,
    maxFrameBytes,
    true,
  );
  socket.on('data', (chunk: Buffer) => sink.data(chunk));
  socket.on('error', () => {});
  socket.on('close', () => sink.closed());
  sink.data(first);
  return sink;
}
