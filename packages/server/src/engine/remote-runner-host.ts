import type { Logger } from '../platform/index.js';
import { answersReady, watchHealth } from './health-watch.js';
import { RunnerClient } from './runner-client.js';
import type { RunnerHost, RunnerLaunch, RunnerState } from './runner-host.js';
import { backoffMs, defaultRunnerTiming, type RunnerTiming } from './runner-timing.js';

export interface RemoteRunner {
  /** The runner's HTTP origin, e.g. `http://10.0.0.7:9100`. */
  url: string;
}

/**
 * A runner someone else started on another host (a pod, a machine), reached over TCP. Nothing is
 * forked: start waits until it answers, health checks mark it down when it stops answering, and
 * it is probed again with backoff until it is back. Its memory is the other host's, so it takes
 * nothing from this process's memory budget. Tensor bytes travel in the request body (no shared
 * memory).
 */
export class RemoteRunnerHost implements RunnerHost {
  state: RunnerState = 'starting';
  info: unknown;
  restarts = 0;
  readonly pid = undefined;
  private readonly client: RunnerClient;
  private stopHealth: (() => void) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly runner: RemoteRunner,
    private readonly launch: RunnerLaunch,
    private readonly log: Logger,
    private readonly timing: RunnerTiming = defaultRunnerTiming,
  ) {
    this.client = new RunnerClient({ url: runner.url });
  }

  get connection(): RunnerClient | undefined {
    return this.state === 'ready' ? this.client : undefined;
  }

  /** Resolves once the runner answers and has said what it serves; rejects after the start timeout. */
  async start(): Promise<void> {
    const deadline = Date.now() + this.timing.startTimeoutMs;
    const everyMs = Math.min(250, this.timing.healthIntervalMs);
    while (!(await this.tryReady())) {
      if (this.stopped) throw new Error(`runner at ${this.runner.url} was stopped while starting`);
      if (Date.now() >= deadline) {
        this.state = 'stopped';
        throw new Error(
          `runner at ${this.runner.url} did not answer within ${this.timing.startTimeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  private get stopped(): boolean {
    return this.state === 'stopped';
  }

  healthy(): Promise<boolean> {
    return answersReady(this.client, this.timing.healthIntervalMs);
  }

  /** Nothing on this host: the budget guards this machine's memory, and the runner lives elsewhere. */
  memoryBytes(_estimateBytes: number): number {
    return 0;
  }

  /** Becomes ready when the runner answers and reports its model; false when it does not (yet). */
  private async tryReady(): Promise<boolean> {
    if (this.stopped || !(await this.healthy())) return false;
    const info = await this.fetchInfo().catch(() => undefined);
    if (info === undefined || this.stopped) return false;
    this.info = info;
    this.state = 'ready';
    this.stopHealth = watchHealth(
      this.timing,
      () => this.healthy(),
      () => this.markDown(),
    );
    this.log.info({ model: this.launch.modelName, url: this.runner.url }, 'remote runner ready');
    return true;
  }

  /** What the ready IPC message carries for a local runner: every runner answers it at `/v1/info`. */
  private async fetchInfo(): Promise<unknown> {
    const reply = await this.client.request('GET', '/v1/info', { timeoutMs: this.timing.healthIntervalMs });
    if (reply.status !== 200) return undefined;
    return JSON.parse(reply.body.toString('utf8')) as unknown;
  }

  private markDown(): void {
    this.stopHealth?.();
    this.state = 'down';
    this.log.warn({ model: this.launch.modelName, url: this.runner.url }, 'remote runner stopped answering');
    this.retry(0);
  }

  private retry(attempt: number): void {
    this.retryTimer = setTimeout(
      async () => {
        if (this.state !== 'down') return;
        if (await this.tryReady()) this.restarts++;
        else if (this.state === 'down') this.retry(attempt + 1);
      },
      backoffMs(this.timing, attempt),
    );
  }

  /** Waits up to `graceMs` for requests in flight; the runner itself keeps running (it is not ours). */
  async stop(graceMs = 10_000): Promise<void> {
    this.state = 'stopped';
    this.stopHealth?.();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.client.close(graceMs);
  }
}
