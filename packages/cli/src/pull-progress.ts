import type { PullJob } from '@modelport/sdk';
import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from './cli-io.js';
import { formatBytes } from './format-values.js';

export interface PullProgress {
  update(job: PullJob): void;
  stop(): void;
}

/** Plain output says where a pull is at each state change and each tenth of its bytes. */
const PLAIN_STEPS = 10;

/**
 * A pull's progress from the job's `bytesDone`/`bytesTotal`: a bar on a terminal, else plain lines
 * on stderr (stdout keeps the result alone).
 */
export function startPullProgress(io: CliIo, label: string, totalBytes: number): PullProgress {
  return io.tty ? terminalBar(io.tty, label, totalBytes) : plainLines(io, label);
}

function terminalBar(tty: NodeJS.WriteStream, label: string, totalBytes: number): PullProgress {
  const bar = new SingleBar(
    {
      stream: tty,
      format: `${label} [{bar}] {percentage}% {done}/{size} {state}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  const size = formatBytes(totalBytes);
  bar.start(Math.max(totalBytes, 1), 0, { done: formatBytes(0), size, state: 'queued' });
  return {
    update(job) {
      bar.update(job.bytesDone, { done: formatBytes(job.bytesDone), size, state: job.state });
    },
    stop() {
      bar.stop();
    },
  };
}

function plainLines(io: CliIo, label: string): PullProgress {
  let lastState = '';
  let lastStep = -1;
  return {
    update(job) {
      const step =
        job.bytesTotal === 0 ? PLAIN_STEPS : Math.floor((job.bytesDone / job.bytesTotal) * PLAIN_STEPS);
      if (job.state === lastState && (job.state !== 'downloading' || step === lastStep)) return;
      lastState = job.state;
      lastStep = step;
      const percent = job.bytesTotal === 0 ? 100 : Math.floor((job.bytesDone / job.bytesTotal) * 100);
      io.stderr.write(
        `${label}: ${job.state} ${percent}% (${formatBytes(job.bytesDone)} of ${formatBytes(job.bytesTotal)})\n`,
      );
    },
    stop() {},
  };
}
