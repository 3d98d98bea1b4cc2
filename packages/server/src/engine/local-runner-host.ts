import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../platform/index.js';
import type { RunnerSpec } from '../wire/runner/index.js';
import { FrameClient, socketTransport } from './frame-client.js';
import { answersReady, watchHealth } from './health-watch.js';
import { residentBytes } from './instance-memory.js';
import { RunnerClient } from './runner-client.js';
import { runnerEntryPath } from './runner-entry.js';
import { runnerStartError } from './runner-error.js';
import type { RunnerHost, RunnerLaunch, RunnerState } from './runner-host.js';
import type { RunnerSpares } from './runner-spares.js';
import { backoffMs, defaultRunnerTiming, type RunnerTiming } from './runner-timing.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';

/** Frame bytes past the body limit: the head and the meta JSON (as the runner allows). */
const FRAME_OVERHEAD_BYTES = 64 * 1024;

/**
 * One model instance as a child process of this API process, listening on a Unix socket:
 * restarted with exponential backoff when it dies or stops answering health checks, its memory
 * read from /proc. Its IPC channel makes it exit when this process dies. Tensor bytes may travel
 * through shared memory (`slots`), which only a runner on this host can read.
 */
export class LocalRunnerHost implements RunnerHost {
  state: RunnerState = 'starting';
  info: unknown;
  connection: RunnerClient | undefined;
  restarts = 0;
  private child: ChildProcess | undefined;
  private stopHealth: (() => void) | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly socketPath = path.join(
    os.tmpdir(),
    `mp-${process.pid}-${randomBytes(6).toString('hex')}.sock`,
  );

  constructor(
    private readonly launch: RunnerLaunch,
    private readonly log: Logger,
    private readonly timing: RunnerTiming = defaultRunnerTiming,
    private readonly slots?: SharedMemorySlots,
    private readonly spares?: RunnerSpares,
  ) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => this.spawn(resolve, reject));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Measured once ready; the estimate while it starts or waits to restart (it will need that much again). */
  memoryBytes(estimateBytes: number): number {
    if (this.state === 'stopped') return 0;
    const pid = this.child?.pid;
    const measured = this.state === 'ready' && pid !== undefined ? residentBytes(pid) : undefined;
    return measured ?? estimateBytes;
  }

  healthy(): Promise<boolean> {
    return answersReady(this.connection, this.timing.healthIntervalMs);
  }

  private spawn(onReady?: () => void, onFail?: (err: Error) => void): void {
    this.state = 'starting';
    const spec: RunnerSpec = { ...this.launch, listen: { socketPath: this.socketPath } };
    const child =
      this.spares?.take(spec) ??
      fork(runnerEntryPath(), [JSON.stringify(spec)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: [],
      });
    this.child = child;
    const startTimer = setTimeout(() => child.kill('SIGKILL'), this.timing.startTimeoutMs);
    child.on(
      'message',
      (msg: { type?: string; info?: unknown; message?: string; code?: string; param?: string }) => {
        if (msg.type === 'ready' && this.child === child) {
          clearTimeout(startTimer);
          this.onReady(child, msg.info);
          onReady?.();
          onReady = undefined;
          onFail = undefined;
        } else if (msg.type === 'failed') {
          onFail?.(runnerStartError(msg));
          onFail = undefined;
          onReady = undefined;
        }
      },
    );
    child.on('exit', (code, signal) => {
      clearTimeout(startTimer);
      if (this.child !== child) return;
      this.onExit(code, signal, onFail);
      onFail = undefined;
      onReady = undefined;
    });
  }

  private onReady(child: ChildProcess, info: unknown): void {
    this.info = info;
    const frames = () =>
      new FrameClient(
        socketTransport(this.socketPath),
        this.launch.maxBodyBytes + FRAME_OVERHEAD_BYTES,
        (message) =>
          this.log.error(
            { model: this.launch.modelName, message },
            'runner sent a malformed frame; connection closed',
          ),
      );
    this.connection = new RunnerClient({ socketPath: this.socketPath }, this.slots, undefined, frames);
    this.state = 'ready';
    this.stopHealth?.();
    this.stopHealth = watchHealth(
      this.timing,
      () => this.healthy(),
      () => {
        this.log.warn({ model: this.launch.modelName }, 'runner failed health checks; killing it');
        this.child?.kill('SIGKILL');
      },
    );
    this.log.info({ model: this.launch.modelName, pid: child.pid }, 'runner ready');
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, onFail?: (err: Error) => void): void {
    this.stopHealth?.();
    void this.connection?.close();
    this.connection = undefined;
    this.child = undefined;
    if (this.state === 'stopped') return;
    this.state = 'down';
    if (onFail) {
      this.state = 'stopped';
      onFail(new Error(`runner exited during start (code ${code}, signal ${signal})`));
      return;
    }
    const delay = backoffMs(this.timing, this.restarts);
    this.restarts++;
    this.log.warn(
      { model: this.launch.modelName, code, signal, restartInMs: delay },
      'runner exited; restarting',
    );
    this.restartTimer = setTimeout(() => this.spawn(), delay);
  }

  /** Lets queued work finish (SIGTERM drains the runner's batcher), then kills after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.state = 'stopped';
    this.stopHealth?.();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    await this.connection?.close();
    this.connection = undefined;
    rmSync(this.socketPath, { force: true });
  }
}
