import { LocalRunnerHost } from './local-runner-host.js';
import type { RunnerHostFactory } from './runner-host.js';
import type { RunnerSpares } from './runner-spares.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';
import { ThreadRunnerHost } from './thread-runner-host.js';

/**
 * The default hosts: every instance a child process of this API process, sharing `slots` with it,
 * started from a spare runner when one stands by; a worker thread of it with `isolation: "thread"`.
 */
export function localRunnerHosts(slots?: SharedMemorySlots, spares?: RunnerSpares): RunnerHostFactory {
  return ({ launch, log, timing, isolation }) =>
    isolation === 'thread'
      ? new ThreadRunnerHost(launch, log, timing, slots)
      : new LocalRunnerHost(launch, log, timing, slots, spares);
}
