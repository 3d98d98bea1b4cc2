import { Pool } from 'undici';
import { AppError } from '../platform/errors/index.js';
import type { FrameClient } from './frame-client.js';
import { sendFramedTensors } from './framed-tensors.js';
import { runnerError } from './runner-error.js';
import type { RunnerConnection, RunnerReply, TensorRequest } from './runner-host.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';
import { sendTensors } from './tensor-transport.js';

/** Where a runner answers: a Unix socket beside this process, or an HTTP origin on another host. */
export type RunnerAddress = { socketPath: string } | { url: string };

/**
 * The API process's side of the internal protocol: a keep-alive connection pool per runner, so
 * concurrent requests reach the runner's queue together and its batcher can merge them. With
 * `slots` (a local runner only), large tensor sections travel through shared memory.
 */
export class RunnerClient implements RunnerConnection {
  private readonly client: Pool;
  private frames: FrameClient | undefined;

  constructor(
    address: RunnerAddress,
    private readonly slots?: SharedMemorySlots,
    connections = 64,
    /** Opens a local runner's framed connection, at the first tensor request, which then goes there. */
    private readonly openFrames?: () => FrameClient,
  ) {
    const common = { connections, pipelining: 1, keepAliveTimeout: 60_000 };
    this.client =
      'socketPath' in address
        ? new Pool('http://runner', { ...common, socketPath: address.socketPath })
        : new Pool(address.url, common);
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    options: {
      body?: Buffer;
      headers?: Record<string, string>;
      timeoutMs?: number;
      signal?: AbortSignal;
    } = {},
  ): Promise<RunnerReply> {
    try {
      const res = await this.client.request({
        method,
        path,
        headers: options.headers ?? {},
        body: options.body ?? null,
        signal: options.signal ?? null,
        headersTimeout: options.timeoutMs ?? 30_000,
        bodyTimeout: options.timeoutMs ?? 30_000,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      return { status: res.statusCode, headers: res.headers, body };
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new AppError(
        'runner_failed',
        `The model runner failed during the request: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }

  /** Starts a request and hands back the body unread, for streamed answers (token events). */
  async open(
    path: string,
    options: { body: string; signal: AbortSignal; timeoutMs: number },
  ): Promise<{ status: number; body: AsyncIterable<Buffer> & { text(): Promise<string> } }> {
    try {
      const res = await this.client.request({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: options.body,
        signal: options.signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      return { status: res.statusCode, body: res.body };
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new AppError('runner_failed', `The model runner failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** A JSON request answered with JSON; a runner's error answer becomes the AppError it names. */
  async postJson<T>(
    path: string,
    body: unknown,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<T> {
    const res = await this.open(path, { body: JSON.stringify(body), ...options });
    const text = await res.body.text();
    if (res.status !== 200) throw runnerError(res.status, text);
    return JSON.parse(text) as T;
  }

  sendTensors(path: string, request: TensorRequest): Promise<RunnerReply> {
    if (this.openFrames) {
      // A connection closed on a malformed frame is opened again; a dead runner fails the new one too.
      if (!this.frames || this.frames.closed) this.frames = this.openFrames();
      return sendFramedTensors(this.frames, this.slots, request);
    }
    return sendTensors(this, this.slots, path, request);
  }

  /** Framed requests in flight and progress within `withinMs` (see FrameClient.busy). */
  busy(withinMs: number): boolean {
    return this.frames?.busy(withinMs) ?? false;
  }

  /** Resolves once no framed request is in flight (polled: closing is rare). */
  private async framesDrained(): Promise<void> {
    while (this.frames && this.frames.inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  }

  /** Waits for requests in flight for at most `graceMs`, then cuts the connections. */
  async close(graceMs = 0): Promise<void> {
    if (graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.all([this.client.close().catch(() => {}), this.framesDrained()]), expired]);
      clearTimeout(timer);
    }
    this.frames?.close();
    await this.client.destroy().catch(() => {});
  }
}
