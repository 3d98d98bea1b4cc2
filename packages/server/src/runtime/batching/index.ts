export { type BatchShape, batchShapeOf } from './batch-key.js';
export { concatRows, rowElements, splitRows } from './concat-split.js';
export { DynamicBatcher, type DynamicBatcherOptions, type SubmitOptions } from './dynamic-batcher.js';
export type { BatchedResponse } from './queued-request.js';
