import { LocalRunnerHost } from './local-runner-host.js';
import type { RunnerHostFactory } from './runner-host.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';

/** The default hosts: every instance a child process of this API process, sharing `slots` with it. */
export function localRunnerHosts(slots?: SharedMemorySlots): RunnerHostFactory {
  return ({ launch, log, timing }) => new LocalRunnerHost(launch, log, timing, slots);
}
