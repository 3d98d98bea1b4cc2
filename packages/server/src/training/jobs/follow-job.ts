import type { TrainingJobState } from '@modelport/contracts';
import type { EventStream } from '../../platform/http/index.js';
import type { Clock } from '../../platform/index.js';
import { type JobJournal, toTrainingEvent } from './job-journal.js';
import { finishedStates, type JobRepo } from './job-repo.js';

const PAGE = 500;
/** Streams of other replicas' jobs (and any missed wake-up) look again this often. */
const POLL_MS = 1_000;
const KEEP_ALIVE_MS = 15_000;

/**
 * Sends a job's events after `afterSeq` (all of them for a new stream), then each new one as it is
 * written, and ends with an `end` event once the job has reached a final state. Stops early when the
 * client goes away.
 */
export async function followJob(
  deps: { repo: JobRepo; journal: JobJournal; clock: Clock },
  jobId: string,
  stream: EventStream,
  afterSeq: number,
): Promise<void> {
  const { repo, journal, clock } = deps;
  let last = afterSeq;
  let finalState: TrainingJobState | null = null;
  let quietPollsAfterEnd = 0;
  let lastWrite = Date.now();
  while (!stream.closed.aborted) {
    const rows = await repo.events(jobId, { afterSeq: last, limit: PAGE });
    for (const row of rows) {
      const event = toTrainingEvent(row);
      await stream.send(event.type, event, row.seq);
      last = row.seq;
      if (event.type === 'state' && finishedStates.includes(event.state)) finalState = event.state;
    }
    if (rows.length > 0) lastWrite = Date.now();
    if (rows.length === PAGE) continue;
    if (finalState === null) {
      // A job whose final event was never written (its server died in between) ends too.
      const job = await repo.findById(jobId);
      if (!job) break;
      if (finishedStates.includes(job.state) && rows.length === 0 && ++quietPollsAfterEnd > 1)
        finalState = job.state as TrainingJobState;
    }
    if (finalState !== null) {
      await stream.send('end', { type: 'end', seq: last, at: clock.now().toISOString(), state: finalState });
      break;
    }
    if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
      await stream.comment('keep-alive');
      lastWrite = Date.now();
    }
    await journal.waitForNext(jobId, POLL_MS, stream.closed);
  }
  stream.end();
}
