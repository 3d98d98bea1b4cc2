import PQueue from 'p-queue';
import type { Clock, Logger } from '../../platform/index.js';
import type { JobRepo } from './job-repo.js';
import type { JobRunner } from './job-runner.js';
import { type JobScheduler, STALE_AFTER_MS, SWEEP_MS } from './job-scheduler.js';

export interface LocalSchedulerDeps {
  repo: JobRepo;
  runner: JobRunner;
  clock: Clock;
  log: Logger;
  owner: string;
  /** Jobs training at once here (slots of the CPU budget). */
  concurrency: number;
  /**
   * Only this process writes the store (SQLite): a job left `running` belongs to a process that is
   * gone, so it is taken at once instead of after its heartbeat went stale.
   */
  exclusiveStore: boolean;
}

/** Jobs run in this process, `concurrency` at a time, in the order they came (p-queue). */
export function createLocalScheduler(deps: LocalSchedulerDeps): JobScheduler {
  const { repo, runner, clock, log, owner } = deps;
  const queue = new PQueue({ concurrency: deps.concurrency });
  const waiting = new Set<string>();
  let closing = false;
  let sweeper: NodeJS.Timeout | undefined;

  const staleBefore = (exclusive: boolean) =>
    new Date(clock.now().getTime() - (exclusive ? 0 : STALE_AFTER_MS)).toISOString();

  function enqueue(jobId: string, exclusive = false): void {
    if (closing || waiting.has(jobId)) return;
    waiting.add(jobId);
    void queue.add(async () => {
      waiting.delete(jobId);
      if (closing) return;
      const taken = await repo.claim(jobId, owner, clock.now().toISOString(), staleBefore(exclusive));
      if (taken) await runner.run(jobId);
    });
  }

  async function sweep(exclusive: boolean): Promise<void> {
    try {
      for (const row of await repo.runnable(staleBefore(exclusive))) enqueue(row.id, exclusive);
    } catch (err) {
      log.warn({ err }, 'could not look for training jobs');
    }
  }

  return {
    async start() {
      await sweep(deps.exclusiveStore);
      sweeper = setInterval(() => void sweep(false), SWEEP_MS);
      sweeper.unref();
    },
    async enqueue(jobId) {
      enqueue(jobId);
    },
    async close() {
      closing = true;
      clearInterval(sweeper);
      queue.clear();
      runner.stopAll();
      await queue.onIdle();
    },
  };
}
