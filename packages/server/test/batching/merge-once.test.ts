import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendNamed } from '../../src/runtime/backends.js';
import { DynamicBatcher } from '../../src/runtime/batching/index.js';
import type { TensorModel } from '../../src/runtime/contract.js';
import type { InferRequest } from '../../src/wire/index.js';
import { addModel } from '../support/artifacts.js';
import { scratchDir, writeModel } from '../support/onnx-model-files.js';

describe('the batcher with onnxruntime: rows merged once, read by the session in place', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let model: TensorModel & { unload(): Promise<void> };
  const merged: InferRequest[] = [];

  beforeAll(async () => {
    scratch = await scratchDir();
    const path = await writeModel(scratch.dir, 'adder.onnx', addModel(1));
    model = (await (await backendNamed('onnx')).load({ path, threads: 1, options: {} })) as typeof model;
  });
  afterAll(async () => {
    await model?.unload();
    await scratch?.cleanup();
  });

  it('writes each request once into the batch buffer the session reads, and answers views', async () => {
    // Records what reaches the model: the real session behind it.
    const recording: TensorModel = {
      info: () => model.info(),
      infer: (request) => {
        merged.push(request);
        return model.infer(request);
      },
    };
    const batcher = new DynamicBatcher(recording, {
      maxBatchSize: 4,
      maxQueueDelayMs: 50,
      maxQueueSize: 16,
      defaultTimeoutMs: 10_000,
    });
    const inputs = Array.from({ length: 4 }, (_, i) => Float32Array.of(i, i, i, i));
    const answers = await Promise.all(
      inputs.map((data) =>
        batcher.submit({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data }] }),
      ),
    );
    expect(merged).toHaveLength(1);
    // One buffer holding every row, in order: each request's rows were written into it once.
    const batchInput = merged[0]?.inputs[0]?.data as Float32Array;
    expect(merged[0]?.inputs[0]?.shape).toEqual([4, 4]);
    expect(Array.from(batchInput)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    // The callers' own rows are untouched: they were read once, into the batch.
    for (const [i, data] of inputs.entries()) expect(Array.from(data)).toEqual([i, i, i, i]);
    for (const [i, answer] of answers.entries()) {
      expect(answer.batchSize).toBe(4);
      expect(Array.from(answer.outputs[0]?.data as Float32Array)).toEqual([i + 1, i + 1, i + 1, i + 1]);
    }
    // Every request's output is a view of the one output of the run.
    const buffers = new Set(answers.map((a) => (a.outputs[0] as { data: Float32Array }).data.buffer));
    expect(buffers.size).toBe(1);
    await batcher.close();
  });
});
