import type { InferRequest, InferResponse, PredictRequest, PredictResponse } from '../../wire/index.js';

/**
 * A task around a tensor model, run inside the runner (decoding and resampling cost CPU like
 * inference does): request in, answer out.
 */
export interface TaskPipeline {
  run(request: PredictRequest, signal: AbortSignal): Promise<PredictResponse>;
}

/**
 * Runs one tensor request. In a runner it goes through the DynamicBatcher, so task requests share
 * batches and the queue with plain tensor requests; aborting withdraws it.
 */
export type TaskInfer = (request: InferRequest, signal: AbortSignal) => Promise<InferResponse>;
