import { setTimeout as sleep } from 'node:timers/promises';

/** Waits `ms`; an abort of `signal` ends the wait at once, rejecting with the signal's own reason. */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal === undefined) return sleep(ms);
  signal.throwIfAborted();
  try {
    await sleep(ms, undefined, { signal });
  } catch (err) {
    // timers/promises rejects with its own AbortError; the caller asked for the signal's reason.
    if (signal.aborted) throw signal.reason;
    throw err;
  }
}
