import PQueue from 'p-queue';
import PgBoss from 'pg-boss';
import type { Clock, Logger } from '../../platform/index.js';
import type { JobRepo } from './job-repo.js';
import type { JobRunner } from './job-runner.js';
import { type JobScheduler, STALE_AFTER_MS, SWEEP_MS } from './job-scheduler.js';

/** The pg-boss queue every replica works from. */
export const TRAINING_QUEUE = 'modelport-training';
/** pg-boss fails a handler running longer than this (its maximum is under 24 h); the row stays the truth. */
const EXPIRE_SECONDS = 23 * 3600;

export interface PgBossSchedulerDeps {
  databaseUrl: string;
  repo: JobRepo;
  runner: JobRunner;
  clock: Clock;
  log: Logger;
  owner: string;
  concurrency: number;
}

/**
 * Jobs across machines: a new job is sent to a pg-boss queue in the PostgreSQL database, and any
 * replica with a free slot fetches it, claims its row and runs it. A sweep re-sends jobs whose
 * runner stopped beating (a replica that crashed), which another replica then resumes.
 */
export function createPgBossScheduler(deps: PgBossSchedulerDeps): JobScheduler {
  const { repo, runner, clock, log, owner } = deps;
  const boss = new PgBoss({
    connectionString: deps.databaseUrl,
    max: 4,
    application_name: 'modelport-training',
  });
  boss.on('error', (err) => log.warn({ err }, 'pg-boss error'));
  // The slots of this process; pg-boss handlers wait here for their turn.
  const slots = new PQueue({ concurrency: deps.concurrency });
  let closing = false;
  let sweeper: NodeJS.Timeout | undefined;

  const staleBefore = () => new Date(clock.now().getTime() - STALE_AFTER_MS).toISOString();

  async function send(jobId: string): Promise<void> {
    await boss.send(TRAINING_QUEUE, { jobId }, { singletonKey: jobId, expireInSeconds: EXPIRE_SECONDS });
  }

  async function take(jobId: string): Promise<void> {
    if (closing) return;
    const taken = await repo.claim(jobId, owner, clock.now().toISOString(), staleBefore());
    if (taken) await runner.run(jobId);
  }

  async function sweep(): Promise<void> {
    try {
      for (const row of await repo.runnable(staleBefore())) await send(row.id);
    } catch (err) {
      log.warn({ err }, 'could not look for training jobs');
    }
  }

  return {
    async start() {
      await boss.start();
      await boss.createQueue(TRAINING_QUEUE, {
        name: TRAINING_QUEUE,
        // At most one waiting and one running message per job.
        policy: 'stately',
        retryLimit: 0,
        expireInSeconds: EXPIRE_SECONDS,
      });
      for (let i = 0; i < deps.concurrency; i++) {
        await boss.work<{ jobId: string }>(
          TRAINING_QUEUE,
          { batchSize: 1, pollingIntervalSeconds: 1 },
          async ([job]) => {
            if (job) await slots.add(() => take(job.data.jobId));
          },
        );
      }
      await sweep();
      sweeper = setInterval(() => void sweep(), SWEEP_MS);
      sweeper.unref();
    },
    enqueue: send,
    async close() {
      closing = true;
      clearInterval(sweeper);
      runner.stopAll();
      await slots.onIdle();
      await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
    },
  };
}
