import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../platform/errors/index.js';
import type { HandoffInput, HandoffMessage } from '../../wire/handoff/index.js';
import { handOff } from './handoff-model.js';

/** Worker entry: one trained model to ONNX, checked and written; one message back. */
const post = (message: HandoffMessage) => parentPort?.postMessage(message);

handOff(workerData as HandoffInput).then(post, (err: unknown) =>
  post({
    type: 'failed',
    error: isAppError(err)
      ? {
          code: err.code,
          message: err.message,
          ...(err.details === undefined ? {} : { details: err.details }),
        }
      : {
          code: 'training_failed',
          message: `Export failed: ${err instanceof Error ? err.message : String(err)}`,
        },
  }),
);
