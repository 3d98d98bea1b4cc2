import { type ChildProcess, fork } from 'node:child_process';
import type { Logger } from '../platform/index.js';
import { RUNNER_STANDBY_ARG, type RunnerSpec, type TakeMessage } from '../wire/runner/index.js';
import { runnerEntryPath } from './runner-entry.js';

/** A new spare waits this long after one was taken, so it does not compete with that start. */
const REFILL_DELAY_MS = 2_000;

/**
 * Runner processes booted ahead of need. Booting Node and loading the runner's code is about half
 * of an instance's start on an idle machine and more under load; a start that takes a spare only
 * loads its model, which is what a scale-up or a cold start from zero waits for. A spare holds no
 * model (tens of MB) and is not counted in the memory budget; it exits with this process.
 */
export class RunnerSpares {
  private readonly standing: ChildProcess[] = [];
  private readonly booting = new Set<ChildProcess>();
  /** Taken while booting: the spec it is sent once it stands by. */
  private readonly pending = new Map<ChildProcess, RunnerSpec>();
  private refillTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly count: number,
    private readonly log: Logger,
  ) {}

  /** Boots spares up to the count (none when it is 0). */
  private fill(): void {
    if (this.closed) return;
    while (this.standing.length + this.booting.size < this.count) this.boot();
  }

  /**
   * A spare made into the instance `spec` describes, or undefined when none is there. One still
   * booting is taken too (its spec follows once it stands by): it is further on than a new process.
   * Spares are first booted after the first start (a server that never starts a runner boots none),
   * and replaced a little after each is taken.
   */
  take(spec: RunnerSpec): ChildProcess | undefined {
    const child = this.standing.shift() ?? this.takeBooting(spec);
    if (child && !this.pending.has(child)) child.send({ type: 'take', spec } satisfies TakeMessage);
    if (child) {
      child.removeAllListeners('exit');
      child.once('exit', () => this.pending.delete(child));
    }
    if (this.count > 0 && !this.refillTimer && !this.closed) {
      this.refillTimer = setTimeout(() => {
        this.refillTimer = undefined;
        this.fill();
      }, REFILL_DELAY_MS);
      this.refillTimer.unref();
    }
    return child;
  }

  private takeBooting(spec: RunnerSpec): ChildProcess | undefined {
    const [child] = this.booting;
    if (!child) return undefined;
    this.booting.delete(child);
    this.pending.set(child, spec);
    return child;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.refillTimer) clearTimeout(this.refillTimer);
    const all = [...this.standing, ...this.booting];
    this.standing.length = 0;
    this.booting.clear();
    await Promise.all(
      all.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
  }

  private boot(): void {
    const child = fork(runnerEntryPath(), [RUNNER_STANDBY_ARG], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    this.booting.add(child);
    const onMessage = (msg: { type?: string }) => {
      if (msg.type !== 'standing_by') return;
      child.off('message', onMessage);
      const spec = this.pending.get(child);
      this.pending.delete(child);
      if (spec) child.send({ type: 'take', spec } satisfies TakeMessage);
      else if (this.closed) child.kill('SIGKILL');
      else {
        this.booting.delete(child);
        this.standing.push(child);
      }
    };
    child.on('message', onMessage);
    child.on('exit', (code, signal) => {
      this.booting.delete(child);
      const at = this.standing.indexOf(child);
      if (at >= 0) this.standing.splice(at, 1);
      // A spare that dies unasked is not replaced: a broken install would otherwise loop.
      if (!this.closed) this.log.warn({ code, signal }, 'a spare runner exited before it was used');
    });
  }
}
