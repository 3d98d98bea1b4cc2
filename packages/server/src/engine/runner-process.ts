import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../platform/index.js';
import type { RunnerSpec } from '../wire/runner/index.js';
import { residentBytes } from './instance-memory.js';
import { RunnerClient } from './runner-client.js';
import { runnerEntryPath } from './runner-entry.js';

export type RunnerState = 'starting' | 'ready' | 'down' | 'stopped';

export interface RunnerTiming {
  startTimeoutMs: number;
  healthIntervalMs: number;
  /** Consecutive failed health checks before the runner is killed and restarted. */
  healthFailures: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

export const defaultRunnerTiming: RunnerTiming = {
  startTimeoutMs: 120_000,
  healthIntervalMs: 5_000,
  healthFailures: 3,
  backoffMinMs: 250,
  backoffMaxMs: 30_000,
};

type SpecWithoutSocket = Omit<RunnerSpec, 'listen'>;

/**
 * One supervised model instance: a child process restarted with exponential backoff when it dies
 * or stops answering health checks. Requests see only `ready` instances.
 */
export class RunnerProcess {
  state: RunnerState = 'starting';
  outstanding = 0;
  /** What the runner reported when ready: ModelInfo for tensor backends, LlmInfo for llama. */
  info: unknown;
  client: RunnerClient | undefined;
  restarts = 0;
  private child: ChildProcess | undefined;
  private failures = 0;
  private healthTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly socketPath = path.join(
    os.tmpdir(),
    `mp-${process.pid}-${randomBytes(6).toString('hex')}.sock`,
  );

  constructor(
    private readonly spec: SpecWithoutSocket,
    private readonly log: Logger,
    private readonly timing: RunnerTiming = defaultRunnerTiming,
  ) {}

  /** Resolves at the first ready; rejects if the first start fails (bad model, bad options). */
  start(): Promise<void> {
    return new Promise((resolve, reject) => this.spawn(resolve, reject));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * What this instance holds: measured once ready, `estimateBytes` while it starts or waits to
   * restart (it will need that much again), nothing once stopped.
   */
  memoryBytes(estimateBytes: number): number {
    if (this.state === 'stopped') return 0;
    const pid = this.child?.pid;
    const measured = this.state === 'ready' && pid !== undefined ? residentBytes(pid) : undefined;
    return measured ?? estimateBytes;
  }

  private spawn(onReady?: () => void, onFail?: (err: Error) => void): void {
    this.state = 'starting';
    const spec: RunnerSpec = { ...this.spec, listen: { socketPath: this.socketPath } };
    const child = fork(runnerEntryPath(), [JSON.stringify(spec)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    this.child = child;
    const startTimer = setTimeout(() => child.kill('SIGKILL'), this.timing.startTimeoutMs);
    child.on('message', (msg: { type?: string; info?: unknown; message?: string }) => {
      if (msg.type === 'ready' && this.child === child) {
        clearTimeout(startTimer);
        this.info = msg.info;
        this.client = new RunnerClient(this.socketPath);
        this.state = 'ready';
        this.failures = 0;
        this.watchHealth();
        this.log.info({ model: this.spec.modelName, pid: child.pid }, 'runner ready');
        onReady?.();
        onReady = undefined;
        onFail = undefined;
      } else if (msg.type === 'failed') {
        onFail?.(new Error(msg.message ?? 'runner failed to start'));
        onFail = undefined;
        onReady = undefined;
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(startTimer);
      if (this.child !== child) return;
      this.onExit(code, signal, onFail);
      onFail = undefined;
      onReady = undefined;
    });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, onFail?: (err: Error) => void): void {
    this.stopHealth();
    void this.client?.close();
    this.client = undefined;
    this.child = undefined;
    if (this.state === 'stopped') return;
    this.state = 'down';
    if (onFail) {
      this.state = 'stopped';
      onFail(new Error(`runner exited during start (code ${code}, signal ${signal})`));
      return;
    }
    const delay = Math.min(
      this.timing.backoffMaxMs,
      this.timing.backoffMinMs * 2 ** Math.min(this.restarts, 16),
    );
    this.restarts++;
    this.log.warn(
      { model: this.spec.modelName, code, signal, restartInMs: delay },
      'runner exited; restarting',
    );
    this.restartTimer = setTimeout(() => this.spawn(), delay);
  }

  private watchHealth(): void {
    this.stopHealth();
    this.healthTimer = setInterval(async () => {
      const client = this.client;
      if (!client || this.state !== 'ready') return;
      const ok = await client
        .request('GET', '/v2/health/ready', { timeoutMs: this.timing.healthIntervalMs })
        .then((r) => r.status === 200)
        .catch(() => false);
      this.failures = ok ? 0 : this.failures + 1;
      if (this.failures >= this.timing.healthFailures) {
        this.log.warn({ model: this.spec.modelName }, 'runner failed health checks; killing it');
        this.child?.kill('SIGKILL');
      }
    }, this.timing.healthIntervalMs);
    this.healthTimer.unref();
  }

  private stopHealth(): void {
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = undefined;
  }

  /** Lets queued work finish (SIGTERM drains the runner's batcher), then kills after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.state = 'stopped';
    this.stopHealth();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    await this.client?.close();
    this.client = undefined;
    rmSync(this.socketPath, { force: true });
  }
}
