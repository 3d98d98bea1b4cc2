import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors/app-error.js';
import { RUNTIME_SPEC_VERSION } from '../../src/runtime/contract.js';
import { fakeBackend } from '../../src/runtime/fake/index.js';
import { rejectionOf, rowsRequest, tensor } from '../support/batch-tensors.js';
import { fakeModel } from '../support/batching-fixtures.js';

describe('fake backend', () => {
  it('implements the runtime spec with x → y FP32 [-1, 4] by default', async () => {
    expect(fakeBackend).toMatchObject({ name: 'fake', specificationVersion: RUNTIME_SPEC_VERSION });
    const model = await fakeModel();
    expect(model.info()).toEqual({
      platform: 'fake',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 4] }],
      batchable: true,
    });
  });

  it.each([
    ['identity', [5, 6, 7, 8]],
    ['add1', [6, 7, 8, 9]],
    ['double', [10, 12, 14, 16]],
  ])('computes %s', async (op, expected) => {
    const model = await fakeModel({ op });
    const { outputs } = await model.infer(rowsRequest(5));
    expect(outputs).toEqual([
      { name: 'y', datatype: 'FP32', shape: [1, 4], data: Float32Array.from(expected) },
    ]);
  });

  it('keeps INT64 values exact', async () => {
    const model = await fakeModel({ op: 'add1' });
    const { outputs } = await model.infer({
      inputs: [tensor('x', 'INT64', [1, 2], BigInt64Array.of(2n ** 62n, -1n))],
    });
    expect(outputs[0]?.data).toEqual(BigInt64Array.of(2n ** 62n + 1n, 0n));
  });

  it('records the batch size and inputs of every call', async () => {
    const model = await fakeModel();
    await model.infer(rowsRequest(1, 3));
    await model.infer(rowsRequest(2, 1));
    expect(model.calls.map((c) => c.batchSize)).toEqual([3, 1]);
    expect(model.calls[1]?.inputs[0]?.name).toBe('x');
  });

  it('throws on the failOn value, numeric or BYTES', async () => {
    const numeric = await fakeModel({ failOn: 42 });
    expect(await rejectionOf(numeric.infer(rowsRequest(42)))).toBeInstanceOf(Error);
    await expect(numeric.infer(rowsRequest(1))).resolves.toBeDefined();
    const text = await fakeModel({
      inputs: [{ name: 's', datatype: 'BYTES', shape: [-1] }],
      outputs: [{ name: 't', datatype: 'BYTES', shape: [-1] }],
      failOn: 'boom',
    });
    const bytes = new TextEncoder().encode('boom');
    expect(await rejectionOf(text.infer({ inputs: [tensor('s', 'BYTES', [1], [bytes])] }))).toBeInstanceOf(
      Error,
    );
  });

  it('takes simulated compute time', async () => {
    const model = await fakeModel({ delayMs: 30, busyMs: 10 });
    const started = performance.now();
    await model.infer(rowsRequest(1));
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('returns only the requested outputs and refuses unknown ones', async () => {
    const model = await fakeModel({
      outputs: [
        { name: 'y', datatype: 'FP32', shape: [-1, 4] },
        { name: 'z', datatype: 'FP32', shape: [-1, 4] },
      ],
    });
    const { outputs } = await model.infer({ ...rowsRequest(1), outputs: ['z'] });
    expect(outputs.map((o) => o.name)).toEqual(['z']);
    const err = await rejectionOf(model.infer({ ...rowsRequest(1), outputs: ['nope'] }));
    expect(err).toMatchObject({ code: 'invalid_tensor' });
  });

  it('computes each declared output from the input at the same position', async () => {
    const spec = (name: string) => ({ name, datatype: 'INT32', shape: [-1] });
    const model = await fakeModel({ inputs: [spec('a'), spec('b')], outputs: [spec('ya'), spec('yb')] });
    const request = {
      inputs: [tensor('a', 'INT32', [1], Int32Array.of(1)), tensor('b', 'INT32', [1], Int32Array.of(2))],
    };
    const { outputs } = await model.infer({ ...request, outputs: ['yb'] });
    expect(outputs).toEqual([{ name: 'yb', datatype: 'INT32', shape: [1], data: Int32Array.of(2) }]);
  });

  it('is not batchable when a tensor lacks a leading -1, or when told so', async () => {
    const fixed = await fakeModel({ inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 4] }] });
    expect(fixed.info().batchable).toBe(false);
    expect((await fakeModel({ batchable: false })).info().batchable).toBe(false);
  });

  it('fails the load on bad options', async () => {
    const err = await rejectionOf(fakeModel({ op: 'triple' }));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/op/) });
  });

  it('refuses to run after unload', async () => {
    const model = await fakeModel();
    await model.unload();
    expect(await rejectionOf(model.infer(rowsRequest(1)))).toMatchObject({ code: 'model_not_ready' });
  });
});
