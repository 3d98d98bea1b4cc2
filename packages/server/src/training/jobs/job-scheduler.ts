/**
 * Decides when and where a job runs. The queue only says "look at this job"; the job's row decides
 * (`JobRepo.claim`), so a job sent twice, or seen by two replicas, still runs once.
 */
export interface JobScheduler {
  /** Takes the jobs left waiting or interrupted by a previous process, then keeps looking for them. */
  start(): Promise<void>;
  /** A new job (its row is written). */
  enqueue(jobId: string): Promise<void>;
  /** Stops taking jobs, stops the running ones' workers and hands them back for the next start. */
  close(): Promise<void>;
}

/** How often a running job's row is touched; another server takes it over after `STALE_AFTER_MS` without. */
export const HEARTBEAT_MS = 2_000;
export const STALE_AFTER_MS = 15_000;
/** How often a server looks for jobs to take (new ones of other replicas, stale ones). */
export const SWEEP_MS = 5_000;
