import { useEffect, useReducer } from 'react';
import { authHeader } from '../access/key-store.js';
import { apiErrorOf } from '../api/api-error.js';
import type { TrainingEpoch, TrainingJob, TrainingResult } from '../api/types.js';
import { sseData } from '../playground/sse.js';

type JobState = TrainingJob['state'];
type Progress = TrainingJob['progress'];
type TrainingError = NonNullable<TrainingJob['error']>;

/** One event of `GET /api/v1/training/jobs/{id}/events` (the `data:` JSON; `type` names it). */
type TrainingEvent =
  | { type: 'state'; seq: number; state: JobState; error?: TrainingError | null }
  | { type: 'progress'; seq: number; progress: Progress }
  | { type: 'epoch'; seq: number; epoch: TrainingEpoch }
  | { type: 'log'; seq: number; at: string; level: string; message: string }
  | { type: 'result'; seq: number; result: TrainingResult }
  | { type: 'end'; seq: number; state: JobState };

export interface LogLine {
  seq: number;
  at: string;
  level: string;
  message: string;
}

/** What the stream has told so far: the stream replays the job's past, then follows it. */
export interface LiveJob {
  state: JobState | null;
  progress: Progress | null;
  epochs: TrainingEpoch[];
  result: TrainingResult | null;
  error: TrainingError | null;
  logs: LogLine[];
  ended: boolean;
  /** The stream itself failed (refused, cut): the page keeps the last figures it had. */
  streamError: unknown;
}

/** Kept in the browser; older lines are dropped (the job's `…/logs` has them all). */
const MAX_LOG_LINES = 200;

const empty: LiveJob = {
  state: null,
  progress: null,
  epochs: [],
  result: null,
  error: null,
  logs: [],
  ended: false,
  streamError: null,
};

type Action = TrainingEvent | { type: 'reset' } | { type: 'stream-error'; error: unknown };

function reduce(job: LiveJob, event: Action): LiveJob {
  switch (event.type) {
    case 'reset':
      return empty;
    case 'stream-error':
      return { ...job, streamError: event.error };
    case 'state':
      return { ...job, state: event.state, error: event.error ?? job.error };
    case 'progress':
      return { ...job, progress: event.progress };
    case 'epoch':
      // A resumed job may send an epoch again: the newer one replaces it.
      return {
        ...job,
        epochs: [...job.epochs.filter((e) => e.epoch < event.epoch.epoch), event.epoch],
      };
    case 'log':
      return {
        ...job,
        logs: [
          ...job.logs,
          { seq: event.seq, at: event.at, level: event.level, message: event.message },
        ].slice(-MAX_LOG_LINES),
      };
    case 'result':
      return { ...job, result: event.result };
    case 'end':
      return { ...job, state: event.state, ended: true };
  }
}

/**
 * Follows a training job's Server-Sent Events with the signed-in key (an `EventSource` cannot send
 * the `Authorization` header, so the stream is read with fetch); the stream ends with the job.
 */
export function useTrainingEvents(id: string): LiveJob {
  const [job, dispatch] = useReducer(reduce, empty);
  useEffect(() => {
    const abort = new AbortController();
    dispatch({ type: 'reset' });
    (async () => {
      const res = await fetch(`/api/v1/training/jobs/${encodeURIComponent(id)}/events`, {
        headers: { ...authHeader(), accept: 'text/event-stream' },
        signal: abort.signal,
      });
      if (!res.ok || !res.body) throw await apiErrorOf(res);
      for await (const data of sseData(res.body)) dispatch(JSON.parse(data) as TrainingEvent);
    })().catch((error: unknown) => {
      if (!abort.signal.aborted) dispatch({ type: 'stream-error', error });
    });
    return () => abort.abort();
  }, [id]);
  return job;
}
