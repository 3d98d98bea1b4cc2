import { EventEmitter } from 'node:events';
import type { TrainingEvent } from '@modelport/contracts';
import type { Clock } from '../../platform/index.js';
import type { JobEventRow, JobRepo } from './job-repo.js';

/** An event as written: the stored row adds its number and time. */
export type JournalEntry = DistributiveOmit<TrainingEvent, 'seq' | 'at'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * What happened to each job, in the store (so any replica can replay it), with a wake-up for the
 * streams of this process that follow a job; streams of other replicas poll.
 */
export function createJobJournal(repo: JobRepo, clock: Clock) {
  const wake = new EventEmitter().setMaxListeners(0);
  return {
    async append(jobId: string, entry: JournalEntry): Promise<void> {
      const { type, ...data } = entry;
      await repo.appendEvent(jobId, type, data, clock.now().toISOString());
      wake.emit(jobId);
    },

    log(jobId: string, level: 'debug' | 'info' | 'warn' | 'error', message: string): Promise<void> {
      return this.append(jobId, { type: 'log', level, message });
    },

    /** Resolves at the job's next event written here, or after `ms`, or when `signal` aborts. */
    waitForNext(jobId: string, ms: number, signal: AbortSignal): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake.off(jobId, done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake.on(jobId, done);
        signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}

export type JobJournal = ReturnType<typeof createJobJournal>;

/** A stored row as the event clients see. */
export function toTrainingEvent(row: JobEventRow): TrainingEvent {
  const data = JSON.parse(row.data) as Record<string, unknown>;
  return { ...data, type: row.type, seq: row.seq, at: row.created_at } as TrainingEvent;
}
