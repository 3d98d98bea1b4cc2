import { finalPullStates, type PullJob } from '@modelport/contracts';
import { abortableSleep } from '../abortable-sleep.js';
import { PullWaitTimeoutError } from '../errors.js';

const DEFAULT_POLL_MS = 500;

export interface WaitForPullOptions {
  /** Time between two reads. Default 0.5 s. */
  pollMs?: number;
  /** Gives up with a `PullWaitTimeoutError` after this long (the pull goes on). Default: no limit. */
  timeoutMs?: number;
  /** Ends the wait (a read in flight too); `wait()` then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called with every pull read, the last one included: progress output. */
  onPoll?: (pull: PullJob) => void;
}

/** Reads the pull every `pollMs` until it ended, and returns it. */
export async function waitForPull(
  read: (signal: AbortSignal) => Promise<PullJob>,
  id: string,
  options: WaitForPullOptions,
): Promise<PullJob> {
  const pollMs = nonNegative('pollMs', options.pollMs ?? DEFAULT_POLL_MS);
  const timeoutMs = options.timeoutMs === undefined ? undefined : nonNegative('timeoutMs', options.timeoutMs);
  let last: PullJob | undefined;
  const deadline = new AbortController();
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          const what = last ? `pull ${id} is still ${last.state}` : `no answer for pull ${id}`;
          deadline.abort(new PullWaitTimeoutError({ message: `${what} after ${timeoutMs} ms.`, pull: last }));
        }, timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  try {
    for (;;) {
      last = await read(signal);
      options.onPoll?.(last);
      if (finalPullStates.includes(last.state)) return last;
      await abortableSleep(pollMs, signal);
    }
  } finally {
    clearTimeout(timer);
  }
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number from 0 up, not ${value}.`);
  }
  return value;
}
