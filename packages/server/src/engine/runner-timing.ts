/** How hosts start, watch and restart runners; tests shorten it. */
export interface RunnerTiming {
  startTimeoutMs: number;
  healthIntervalMs: number;
  /** Consecutive failed health checks before the runner is taken as down (and restarted when local). */
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

/** The wait before retry number `attempt` (0-based): exponential, capped. */
export function backoffMs(timing: RunnerTiming, attempt: number): number {
  return Math.min(timing.backoffMaxMs, timing.backoffMinMs * 2 ** Math.min(attempt, 16));
}
