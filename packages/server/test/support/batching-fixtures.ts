import { DynamicBatcher, type DynamicBatcherOptions } from '../../src/runtime/batching/index.js';
import { type FakeModel, fakeBackend } from '../../src/runtime/fake/index.js';

export async function fakeModel(options: Record<string, unknown> = {}): Promise<FakeModel> {
  return fakeBackend.load({ path: '', threads: 1, options });
}

/** Until the end of this event-loop turn, when an idle batcher plans what arrived during it. */
export function turnEnds(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Batch sizes of every run the model saw, in order. */
export function batchSizes(model: FakeModel): number[] {
  return model.calls.map((c) => c.batchSize);
}

/** Every first-input value the model was ever given. */
export function valuesSeen(model: FakeModel): number[] {
  return model.calls.flatMap((c) => Array.from(c.inputs[0]?.data as Float32Array));
}

export function batcherFor(model: FakeModel, options: Partial<DynamicBatcherOptions> = {}): DynamicBatcher {
  return new DynamicBatcher(model, {
    maxBatchSize: 8,
    maxQueueDelayMs: 20,
    maxQueueSize: 100,
    defaultTimeoutMs: 10_000,
    ...options,
  });
}
