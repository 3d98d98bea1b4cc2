import { isMainThread, parentPort } from 'node:worker_threads';
import type { DatasetFormat } from '@modelport/contracts';
import { readDatasetFrame } from '../formats/index.js';
import type { DatasetFrameReader } from './dataset-source.js';
import { runTrainerJob } from './run-trainer-job.js';
import { processChannel, threadChannel } from './worker-channel.js';

/** How a `file` dataset source is read: with the readers uploads are read with (formats/). */
const readFrame: DatasetFrameReader = (format, path) => readDatasetFrame(format as DatasetFormat, path);

/**
 * Entry of a training worker, never run on the API's event loop: as a worker_threads Worker
 * (`new Worker(dist/trainer/trainer-main.js, { workerData: TrainerWorkerInput })`) or as a child
 * process (`fork(…, { serialization: 'advanced' })`, then `send({ type: 'start', input })`). It
 * posts `TrainerMessage`s (wire/training/) and ends after `done` or `failed`. Start it with
 * `execArgv: []` from a process run with `--conditions source` (a test runner), or it would import
 * the TypeScript sources.
 */
async function main(): Promise<void> {
  if (!isMainThread && parentPort) {
    const { input, channel } = threadChannel(parentPort);
    await runTrainerJob(input, channel, readFrame);
    return;
  }
  if (!process.send) throw new Error('run trainer-main as a Worker or as a child process forked with IPC');
  const { input, channel } = await processChannel();
  // A child process has sharp's thread pool to itself: size it to the job's budget.
  const sharp = (await import('sharp')).default;
  sharp.concurrency(input.threads);
  await runTrainerJob(input, channel, readFrame);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `trainer failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
