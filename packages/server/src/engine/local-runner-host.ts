import { type ChildProcess, fork } from 'node:child_process';
import type { Logger } from '../platform/index.js';
import type { RunnerSpec } from '../wire/runner/index.js';
import { socketTransport } from './frame-client.js';
import { residentBytes } from './instance-memory.js';
import { runnerEntryPath } from './runner-entry.js';
import { runnerStartError } from './runner-error.js';
import type { RunnerLaunch } from './runner-host.js';
import type { RunnerSpares } from './runner-spares.js';
import { defaultRunnerTiming, type RunnerTiming } from './runner-timing.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';
import { type InstanceEvents, SupervisedRunnerHost } from './supervised-runner-host.js';

type RunnerMessage = { type?: string; info?: unknown; message?: string; code?: string; param?: string };

/**
 * One model instance as a child process of this API process, listening on a Unix socket:
 * restarted with exponential backoff when it dies or stops answering health checks, its memory
 * read from /proc. Its IPC channel makes it exit when this process dies. Tensor bytes may travel
 * through shared memory (`slots`), which only a runner on this host can read.
 */
export class LocalRunnerHost extends SupervisedRunnerHost {
  private child: ChildProcess | undefined;

  constructor(
    launch: RunnerLaunch,
    log: Logger,
    timing: RunnerTiming = defaultRunnerTiming,
    slots?: SharedMemorySlots,
    private readonly spares?: RunnerSpares,
  ) {
    super(launch, log, timing, 'runner', slots);
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

  protected spawnInstance(events: InstanceEvents): void {
    const spec: RunnerSpec = { ...this.launch, listen: { socketPath: this.socketPath } };
    const child =
      this.spares?.take(spec) ??
      fork(runnerEntryPath(), [JSON.stringify(spec)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: [],
      });
    this.child = child;
    child.on('message', (msg: RunnerMessage) => {
      if (msg.type === 'ready' && this.child === child) events.ready(msg.info, { pid: child.pid });
      else if (msg.type === 'failed') events.failed(runnerStartError(msg));
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      events.exited(`code ${code}, signal ${signal}`, { code, signal });
    });
  }

  protected frameTransport() {
    return socketTransport(this.socketPath);
  }

  protected kill(): void {
    this.child?.kill('SIGKILL');
  }

  /** SIGTERM drains the runner's batcher; SIGKILL after `graceMs`. */
  protected async end(graceMs: number): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
