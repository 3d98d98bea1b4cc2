import { connect, type Socket } from 'node:net';
import { AppError } from '../platform/errors/index.js';
import {
  encodeFrame,
  FRAME_PREFACE,
  type Frame,
  FrameReader,
  frameWriter,
  type InferFrameMeta,
} from '../wire/runner/index.js';

/** How frames reach a runner: a Unix socket (a child process) or a worker's port (a thread). */
export interface FrameTransport {
  write(parts: Buffer[]): void;
  destroy(): void;
}

/** What a transport reports: bytes received (any cut), and its end. */
export interface TransportEvents {
  data(chunk: Buffer): void;
  closed(message: string): void;
}

/** Frames over a runner's Unix socket, opened with the preface that tells them from HTTP. */
export function socketTransport(socketPath: string): (events: TransportEvents) => FrameTransport {
  return (events) => {
    const socket: Socket = connect(socketPath);
    socket.write(FRAME_PREFACE);
    socket.on('data', (chunk: Buffer) => events.data(chunk));
    socket.on('error', (err) => events.closed(`the runner connection failed: ${err.message}`));
    socket.on('close', () => events.closed('the runner closed its connection'));
    return {
      write: frameWriter(socket),
      destroy: () => socket.destroy(),
    };
  };
}

interface Pending {
  resolve: (frame: Frame) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** How many request ids a connection cycles through before reusing one (u32 on the wire). */
const ID_SPACE = 0x1_0000_0000;

/**
 * The API side of one framed connection to a local runner (docs/runner-protocol.md): every
 * request of this runner on it at once, told apart by id. A request's deadline (plus a margin for
 * the runner's own 504) or its caller's abort sends a cancel frame; the connection's end, or a
 * reply that breaks the format, fails every request in flight with `runner_failed`.
 */
export class FrameClient {
  private readonly transport: FrameTransport;
  private readonly reader: FrameReader;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lost: AppError | undefined;
  /** When the runner last showed progress: a reply came, or work was sent to an idle runner. */
  private progressAt = 0;

  constructor(
    open: (events: TransportEvents) => FrameTransport,
    maxFrameBytes: number,
    private readonly onMalformed: (message: string) => void = () => {},
  ) {
    this.reader = new FrameReader(maxFrameBytes, false);
    this.transport = open({
      data: (chunk) => this.onData(chunk),
      closed: (message) => this.fail(message),
    });
  }

  /** True once the connection is gone: later requests need a new one. */
  get closed(): boolean {
    return this.lost !== undefined;
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Whether the runner has requests in flight and showed progress within `withinMs`: a runner
   * busy with a long run answers nothing else meanwhile (its thread runs the session), so a missed
   * health check then is not a failure until the run outlasts a request's deadline.
   */
  busy(withinMs: number): boolean {
    return this.pending.size > 0 && performance.now() - this.progressAt < withinMs;
  }

  /** Sends one infer frame; resolves with the runner's reply frame. */
  infer(
    meta: InferFrameMeta,
    payload: readonly Uint8Array[],
    options: { timeoutMs: number; signal?: AbortSignal | undefined; alignAfter?: number },
  ): Promise<Frame> {
    if (this.lost) return Promise.reject(this.lost);
    if (options.signal?.aborted) return Promise.reject(abortReason(options.signal));
    const id = this.nextId;
    this.nextId = (this.nextId + 1) % ID_SPACE || 1;
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.cancel(id);
        this.settle(id)?.reject(
          new AppError('runner_failed', `The model runner did not answer within ${options.timeoutMs} ms.`),
        );
      }, options.timeoutMs);
      const onAbort = () => {
        this.cancel(id);
        this.settle(id)?.reject(abortReason(options.signal));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (this.pending.size === 0) this.progressAt = performance.now();
      this.pending.set(id, { resolve, reject, timer, signal: options.signal, onAbort });
      this.write(encodeFrame('infer', id, meta, payload, options.alignAfter));
    });
  }

  /** Ends the connection; requests still in flight fail as if the runner had gone. */
  close(): void {
    this.fail('the runner connection was closed');
    this.transport.destroy();
  }

  private write(parts: Buffer[]): void {
    this.transport.write(parts);
  }

  private cancel(id: number): void {
    if (!this.lost) this.write(encodeFrame('cancel', id, {}));
  }

  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.signal?.removeEventListener('abort', entry.onAbort);
    return entry;
  }

  private onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.onMalformed((err as Error).message);
      this.fail(`the runner sent a malformed frame: ${(err as Error).message}`);
      this.transport.destroy();
      return;
    }
    if (frames.length > 0) this.progressAt = performance.now();
    for (const frame of frames) {
      // A reply to a request already given up (deadline, abort) finds nobody and is dropped.
      if (frame.kind === 'reply') this.settle(frame.id)?.resolve(frame);
    }
  }

  private fail(message: string): void {
    this.lost ??= new AppError('runner_failed', `The model runner failed during the request: ${message}`);
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(this.lost);
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  return Object.assign(new Error('The request was aborted.'), { name: 'AbortError' });
}
