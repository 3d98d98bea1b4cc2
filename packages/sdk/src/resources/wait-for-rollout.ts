import type { Rollout, RolloutState } from '@modelport/contracts';
import { abortableSleep } from '../abortable-sleep.js';
import { RolloutWaitTimeoutError } from '../errors.js';

/** The states a rollout never leaves. */
export const FINAL_ROLLOUT_STATES: readonly RolloutState[] = ['succeeded', 'failed', 'rolled_back'];

/** A paused rollout waits for a person (resume, promote or abort), so a wait ends there too. */
const DEFAULT_UNTIL: readonly RolloutState[] = [...FINAL_ROLLOUT_STATES, 'paused'];
const DEFAULT_POLL_MS = 2_000;

export interface WaitForRolloutOptions {
  /**
   * The rollout to watch; default `current`. The first answer's id is used from then on, so a
   * rollout started meanwhile is not mistaken for the one being watched.
   */
  id?: string;
  /** States that end the wait; default `succeeded`, `failed`, `rolled_back` and `paused`. */
  until?: readonly RolloutState[];
  /** Time between two reads. Default 2 s. */
  pollMs?: number;
  /** Gives up with a `RolloutWaitTimeoutError` after this long (the rollout goes on). Default: no limit. */
  timeoutMs?: number;
  /** Ends the wait (a read in flight too); `wait()` then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called with every rollout read, the last one included: progress output for a script. */
  onPoll?: (rollout: Rollout) => void;
}

type ReadRollout = (id: string, signal: AbortSignal) => Promise<Rollout>;

/** Reads the rollout every `pollMs` until its state is one of `until`, and returns that rollout. */
export async function waitForRollout(
  read: ReadRollout,
  deployment: string,
  options: WaitForRolloutOptions,
): Promise<Rollout> {
  const pollMs = nonNegative('pollMs', options.pollMs ?? DEFAULT_POLL_MS);
  const timeoutMs = options.timeoutMs === undefined ? undefined : nonNegative('timeoutMs', options.timeoutMs);
  const until = new Set(options.until ?? DEFAULT_UNTIL);
  let last: Rollout | undefined;
  const deadline = new AbortController();
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => deadline.abort(timedOut(deployment, timeoutMs, last)), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  try {
    let id = options.id ?? 'current';
    for (;;) {
      last = await read(id, signal);
      id = last.id;
      options.onPoll?.(last);
      if (until.has(last.state)) return last;
      await abortableSleep(pollMs, signal);
    }
  } finally {
    clearTimeout(timer);
  }
}

function timedOut(deployment: string, timeoutMs: number, last: Rollout | undefined): RolloutWaitTimeoutError {
  const what = last
    ? `rollout ${last.id} of ${deployment} is still ${last.state}`
    : `no answer for ${deployment}`;
  return new RolloutWaitTimeoutError({ message: `${what} after ${timeoutMs} ms.`, rollout: last });
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number from 0 up, not ${value}.`);
  }
  return value;
}
