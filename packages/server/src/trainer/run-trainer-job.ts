import { isAppError } from '../platform/errors/index.js';
import type { TrainerFailure, TrainerWorkerInput, TrainingResult } from '../wire/training/index.js';
import { type DatasetFrameReader, loadDatasetFrame } from './dataset-source.js';
import { train } from './train.js';
import type { WorkerChannel } from './worker-channel.js';

/**
 * One job in a worker: read the dataset, train (epochs and logs posted as they happen; a `cancel`
 * command aborts between batches), then post `done` with the result (its buffers transferred, not
 * copied) or `failed` with a catalog code.
 */
export async function runTrainerJob(
  input: TrainerWorkerInput,
  channel: WorkerChannel,
  read?: DatasetFrameReader,
): Promise<void> {
  const controller = new AbortController();
  channel.onCommand((command) => {
    if (command.type === 'cancel') controller.abort();
  });
  try {
    const frame = await loadDatasetFrame(input.source, read);
    const result = await train(input.spec, frame, {
      checkpointDir: input.checkpointDir,
      resumeFrom: input.resumeFrom,
      threads: input.threads,
      signal: controller.signal,
      onEpoch: (epoch) => channel.post({ type: 'epoch', epoch }),
      onLog: (level, message) => channel.post({ type: 'log', level, message }),
    });
    channel.post({ type: 'done', result }, transferable(result));
  } catch (err) {
    channel.post({ type: 'failed', error: failureOf(err) });
  } finally {
    await channel.close();
  }
}

function transferable(result: TrainingResult): ArrayBuffer[] {
  const buffers = [
    result.model.weightData,
    result.validation.inputs.buffer,
    result.validation.outputs.buffer,
  ];
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0);
}

export function failureOf(err: unknown): TrainerFailure {
  if (isAppError(err))
    return { code: err.code, message: err.message, ...(err.param === undefined ? {} : { param: err.param }) };
  return { code: 'internal_error', message: err instanceof Error ? err.message : String(err) };
}
