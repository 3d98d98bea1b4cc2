import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../platform/index.js';
import { maxFrameBytesOf } from '../wire/runner/index.js';
import { FrameClient, type FrameTransport, type TransportEvents } from './frame-client.js';
import { answersReady, watchHealth } from './health-watch.js';
import { RunnerClient } from './runner-client.js';
import type { RunnerHost, RunnerLaunch, RunnerState } from './runner-host.js';
import { backoffMs, defaultRunnerTiming, type RunnerTiming } from './runner-timing.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';

/** What one started instance reports to its supervisor. */
export interface InstanceEvents {
  /** It loaded its model and listens; `logFields` name it in the log (pid, thread). */
  ready(info: unknown, logFields: Record<string, unknown>): void;
  /** Its model could not load: the first start fails with this. */
  failed(err: Error): void;
  /** It is gone; `how` says how in words, `logFields` in fields. */
  exited(how: string, logFields: Record<string, unknown>): void;
}

/**
 * What a process runner and a thread runner share: one instance at a time on a Unix socket of its
 * own, the framed connection and the HTTP client made once it is ready, health checks, a restart
 * with exponential backoff when it exits or stops answering, and a stop that lets it drain.
 * Subclasses say how an instance starts, is killed and is asked to stop.
 */
export abstract class SupervisedRunnerHost implements RunnerHost {
  state: RunnerState = 'starting';
  info: unknown;
  connection: RunnerClient | undefined;
  restarts = 0;
  abstract readonly pid: number | undefined;
  protected readonly socketPath: string;
  private stopHealth: (() => void) | undefined;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    protected readonly launch: RunnerLaunch,
    protected readonly log: Logger,
    protected readonly timing: RunnerTiming = defaultRunnerTiming,
    /** How the log names an instance: 'runner' or 'runner thread'. */
    private readonly noun: string,
    private readonly slots?: SharedMemorySlots,
  ) {
    const tag = noun === 'runner' ? '' : 't';
    this.socketPath = path.join(
      os.tmpdir(),
      `mp-${process.pid}-${tag}${randomBytes(6).toString('hex')}.sock`,
    );
  }

  abstract memoryBytes(estimateBytes: number): number;
  /** Starts one instance listening on `socketPath`; it reports through `events`. */
  protected abstract spawnInstance(events: InstanceEvents): void;
  /** How frames reach the instance once it is ready. */
  protected abstract frameTransport(): (events: TransportEvents) => FrameTransport;
  /** Ends the instance at once (a start that takes too long, failed health checks). */
  protected abstract kill(): void;
  /** Asks the instance to finish its work and go, ending it after `graceMs`. */
  protected abstract end(graceMs: number): Promise<void>;

  start(): Promise<void> {
    return new Promise((resolve, reject) => this.spawn(resolve, reject));
  }

  /**
   * Ready, or busy: the session runs on the runner's own thread, so during a long run the health
   * route waits; that counts as healthy while the run is within a request's deadline.
   */
  async healthy(): Promise<boolean> {
    if (await answersReady(this.connection, this.timing.healthIntervalMs)) return true;
    return this.connection?.busy(this.launch.timeoutMs) ?? false;
  }

  /** Lets queued work finish, then ends the instance after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.state = 'stopped';
    this.stopHealth?.();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.end(graceMs);
    await this.connection?.close();
    this.connection = undefined;
    rmSync(this.socketPath, { force: true });
  }

  private spawn(onReady?: () => void, onFail?: (err: Error) => void): void {
    this.state = 'starting';
    const startTimer = setTimeout(() => this.kill(), this.timing.startTimeoutMs);
    this.spawnInstance({
      ready: (info, logFields) => {
        clearTimeout(startTimer);
        this.onReady(info, logFields);
        onReady?.();
        onReady = undefined;
        onFail = undefined;
      },
      failed: (err) => {
        onFail?.(err);
        onFail = undefined;
        onReady = undefined;
      },
      exited: (how, logFields) => {
        clearTimeout(startTimer);
        this.onExit(how, logFields, onFail);
        onFail = undefined;
        onReady = undefined;
      },
    });
  }

  private onReady(info: unknown, logFields: Record<string, unknown>): void {
    this.info = info;
    const model = this.launch.modelName;
    const transport = this.frameTransport();
    const frames = () =>
      new FrameClient(transport, maxFrameBytesOf(this.launch), (message) =>
        this.log.error({ model, message }, `${this.noun} sent a malformed frame; connection closed`),
      );
    this.connection = new RunnerClient({ socketPath: this.socketPath }, this.slots, undefined, frames);
    this.state = 'ready';
    this.stopHealth?.();
    this.stopHealth = watchHealth(
      this.timing,
      () => this.healthy(),
      () => {
        this.log.warn({ model }, `${this.noun} failed health checks; ending it`);
        this.kill();
      },
    );
    this.log.info({ model, ...logFields }, `${this.noun} ready`);
  }

  private onExit(how: string, logFields: Record<string, unknown>, onFail?: (err: Error) => void): void {
    this.stopHealth?.();
    void this.connection?.close();
    this.connection = undefined;
    if (this.state === 'stopped') return;
    this.state = 'down';
    if (onFail) {
      this.state = 'stopped';
      onFail(new Error(`${this.noun} exited during start (${how})`));
      return;
    }
    const delay = backoffMs(this.timing, this.restarts);
    this.restarts++;
    this.log.warn(
      { model: this.launch.modelName, ...logFields, restartInMs: delay },
      `${this.noun} exited; restarting`,
    );
    this.restartTimer = setTimeout(() => this.spawn(), delay);
  }
}
