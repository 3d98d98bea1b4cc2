import type { RunnerConnection } from './runner-host.js';
import type { RunnerTiming } from './runner-timing.js';

/** Whether the runner answers its readiness route within `timeoutMs`. */
export function answersReady(connection: RunnerConnection | undefined, timeoutMs: number): Promise<boolean> {
  if (!connection) return Promise.resolve(false);
  return connection
    .request('GET', '/v2/health/ready', { timeoutMs })
    .then((r) => r.status === 200)
    .catch(() => false);
}

/**
 * Asks `check` every health interval; after `healthFailures` misses in a row calls `onDown`.
 * Returns the function that stops watching.
 */
export function watchHealth(
  timing: RunnerTiming,
  check: () => Promise<boolean>,
  onDown: () => void,
): () => void {
  let failures = 0;
  const timer = setInterval(async () => {
    failures = (await check()) ? 0 : failures + 1;
    if (failures >= timing.healthFailures) onDown();
  }, timing.healthIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
