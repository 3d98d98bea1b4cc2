import type { RunnerSpec } from './runner-spec.js';

/**
 * A runner started with this argument instead of a spec is a spare: it boots and loads its code,
 * says `standing_by`, and waits for the spec of the instance it becomes (`take`) over IPC.
 */
export const RUNNER_STANDBY_ARG = '--standby';

/** Spare → supervisor: booted and waiting. */
export interface StandingByMessage {
  type: 'standing_by';
}

/** Supervisor → spare: become this instance. */
export interface TakeMessage {
  type: 'take';
  spec: RunnerSpec;
}
