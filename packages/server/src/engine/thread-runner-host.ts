import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../platform/index.js';
import type { RunnerSpec } from '../wire/runner/index.js';
import { FrameClient } from './frame-client.js';
import { answersReady, watchHealth } from './health-watch.js';
import { portTransport } from './port-transport.js';
import { RunnerClient } from './runner-client.js';
import { runnerThreadEntryPath } from './runner-entry.js';
import { runnerStartError } from './runner-error.js';
import type { RunnerHost, RunnerLaunch, RunnerState } from './runner-host.js';
import { backoffMs, defaultRunnerTiming, type RunnerTiming } from './runner-timing.js';

/** Frame bytes past the body limit: the head and the meta JSON (as the runner allows). */
const FRAME_OVERHEAD_BYTES = 64 * 1024;

type ThreadMessage = { type?: string; info?: unknown; message?: string; code?: string; param?: string };

/**
 * One model instance on a worker thread of this API process (`isolation: "thread"`; what it risks
 * is in docs/runner-protocol.md): tensor frames over the thread's port, with transferred buffers;
 * health, info and the other capabilities over HTTP on the thread's Unix socket, as for a process.
 * A thread that exits or stops answering is started again with backoff. Its memory is the API
 * process's, so it counts the estimate from the artifact.
 */
export class ThreadRunnerHost implements RunnerHost {
  state: RunnerState = 'starting';
  info: unknown;
  connection: RunnerClient | undefined;
  restarts = 0;
  readonly pid = undefined;
  private worker: Worker | undefined;
  private stopHealth: (() => void) | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly socketPath = path.join(
    os.tmpdir(),
    `mp-${process.pid}-t${randomBytes(6).toString('hex')}.sock`,
  );

  constructor(
    private readonly launch: RunnerLaunch,
    private readonly log: Logger,
    private readonly timing: RunnerTiming = defaultRunnerTiming,
  ) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => this.spawn(resolve, reject));
  }

  memoryBytes(estimateBytes: number): number {
    return this.state === 'stopped' ? 0 : estimateBytes;
  }

  healthy(): Promise<boolean> {
    return answersReady(this.connection, this.timing.healthIntervalMs);
  }

  private spawn(onReady?: () => void, onFail?: (err: Error) => void): void {
    this.state = 'starting';
    const spec: RunnerSpec = { ...this.launch, listen: { socketPath: this.socketPath } };
    // Plain Node options, as a runner process gets: a host's loader flags (a test runner's) would not resolve the compiled code.
    const worker = new Worker(runnerThreadEntryPath(), { workerData: spec, execArgv: [] });
    this.worker = worker;
    const startTimer = setTimeout(() => void worker.terminate(), this.timing.startTimeoutMs);
    worker.on('message', (msg: ThreadMessage) => {
      if (msg instanceof ArrayBuffer) return;
      if (msg.type === 'ready' && this.worker === worker) {
        clearTimeout(startTimer);
        this.onReady(worker, msg.info);
        onReady?.();
        onReady = undefined;
        onFail = undefined;
      } else if (msg.type === 'failed') {
        onFail?.(runnerStartError(msg));
        onFail = undefined;
        onReady = undefined;
        void worker.terminate();
      }
    });
    worker.on('error', (err) =>
      this.log.error({ model: this.launch.modelName, err }, 'runner thread failed'),
    );
    worker.on('exit', (code) => {
      clearTimeout(startTimer);
      if (this.worker !== worker) return;
      this.onExit(code, onFail);
      onFail = undefined;
      onReady = undefined;
    });
  }

  private onReady(worker: Worker, info: unknown): void {
    this.info = info;
    const frames = () =>
      new FrameClient(portTransport(worker), this.launch.maxBodyBytes + FRAME_OVERHEAD_BYTES, (message) =>
        this.log.error({ model: this.launch.modelName, message }, 'runner thread sent a malformed frame'),
      );
    this.connection = new RunnerClient({ socketPath: this.socketPath }, undefined, undefined, frames);
    this.state = 'ready';
    this.stopHealth?.();
    this.stopHealth = watchHealth(
      this.timing,
      () => this.healthy(),
      () => {
        this.log.warn({ model: this.launch.modelName }, 'runner thread failed health checks; ending it');
        void this.worker?.terminate();
      },
    );
    this.log.info({ model: this.launch.modelName, thread: worker.threadId }, 'runner thread ready');
  }

  private onExit(code: number, onFail?: (err: Error) => void): void {
    this.stopHealth?.();
    void this.connection?.close();
    this.connection = undefined;
    this.worker = undefined;
    if (this.state === 'stopped') return;
    this.state = 'down';
    if (onFail) {
      this.state = 'stopped';
      onFail(new Error(`runner thread exited during start (code ${code})`));
      return;
    }
    const delay = backoffMs(this.timing, this.restarts);
    this.restarts++;
    this.log.warn(
      { model: this.launch.modelName, code, restartInMs: delay },
      'runner thread exited; restarting',
    );
    this.restartTimer = setTimeout(() => this.spawn(), delay);
  }

  /** Lets queued work finish (the thread drains its batcher), then ends the thread after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.state = 'stopped';
    this.stopHealth?.();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (worker) {
      const stopped = new Promise<void>((resolve) => {
        worker.on('message', (msg: ThreadMessage) => {
          if (msg.type === 'stopped') resolve();
        });
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'stop' });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
      await worker.terminate();
    }
    await this.connection?.close();
    this.connection = undefined;
    rmSync(this.socketPath, { force: true });
  }
}
