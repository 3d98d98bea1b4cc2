import { LocalRunnerHost } from './local-runner-host.js';
import type { RunnerHostFactory } from './runner-host.js';
import type { RunnerSpares } from './runner-spares.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';

/**
 * The default hosts: every instance a child process of this API process, sharing `slots` with it,
 * started from a spare runner when one stands by.
 */
export function localRunnerHosts(slots?: SharedMemorySlots, spares?: RunnerSpares): RunnerHostFactory {
  return ({ launch, log, timing }) => new LocalRunnerHost(launch, log, timing, slots, spares);
}
