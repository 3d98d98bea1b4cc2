import os from 'node:os';

/**
 * Threads are a budget shared by the API process and every runner: the API process keeps one
 * core's share, runners split the rest, and the total never exceeds the cores (oversubscribed
 * inference runs many times slower, spin-waiting threads steal from each other).
 */
export function defaultRunnerThreads(totalInstances: number, cores = os.availableParallelism()): number {
  const forRunners = Math.max(1, cores - 1);
  return Math.max(1, Math.floor(forRunners / Math.max(1, totalInstances)));
}

/**
 * Training jobs draw on the same budget: the API process keeps one core, and each job's worker
 * takes `threadsPerJob` of the rest, so at most this many jobs train at once (at least one; the
 * others wait in the queue). Runners and training share those cores.
 */
export function trainingSlots(threadsPerJob: number, cores = os.availableParallelism()): number {
  const forWorkers = Math.max(1, cores - 1);
  return Math.max(1, Math.floor(forWorkers / Math.max(1, threadsPerJob)));
}
