import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel } from '../../src/formats/index.js';
import { onnxBackend } from '../../src/runtime/onnx/index.js';
import { expectAppError } from '../support/expect-app-error.js';
import { asSequences, identitySpec, scratchDir, writeModel } from '../support/onnx-model-files.js';
import { tensor } from '../support/sample-tensors.js';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(async () => {
  await scratch.cleanup();
});

const load = (file: string, options: Record<string, unknown> = {}, threads = 1) =>
  onnxBackend.load({ path: file, threads, options });

describe('loading', () => {
  it('a file that is not ONNX fails with a clear invalid_artifact error', async () => {
    const file = path.join(scratch.dir, 'notes.onnx');
    await writeFile(file, 'these are not the weights you are looking for\n');
    const err = await expectAppError(
      load(file),
      'invalid_artifact',
      /^onnxruntime cannot load notes\.onnx: .*Protobuf parsing failed/,
    );
    expect(err.status).toBe(422);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('a missing file says so', async () => {
    await expectAppError(
      load(path.join(scratch.dir, 'gone.onnx')),
      'invalid_artifact',
      /cannot be read: ENOENT/,
    );
  });

  it('a folder model loads its model.onnx, or its only .onnx file', async () => {
    const folder = path.join(scratch.dir, 'folder');
    await mkdir(folder);
    await writeModel(folder, 'classifier.onnx', identitySpec('FP32', [1]));
    const model = await load(folder);
    expect(model.info().inputs).toEqual([{ name: 'x', datatype: 'FP32', shape: [1] }]);
    await model.unload();
    await writeModel(folder, 'other.onnx', identitySpec('FP32', [1]));
    await expectAppError(load(folder), 'invalid_artifact', /found: classifier\.onnx, other\.onnx/);
  });

  it('refuses an execution provider this onnxruntime build lacks, and a bad thread count', async () => {
    const file = await writeModel(scratch.dir, 'ok.onnx', identitySpec('FP32', [1]));
    await expectAppError(
      load(file, { executionProviders: ['tpu'] }),
      'validation_failed',
      /execution provider 'tpu' is not in this onnxruntime build \(available: cpu/,
    );
    await expectAppError(load(file, { executionProviders: 'cpu' }), 'validation_failed', /non-empty array/);
    await expectAppError(load(file, {}, 0), 'validation_failed', /threads must be a positive integer, got 0/);
    const model = await load(file, { executionProviders: [{ name: 'cpu' }] });
    await model.unload();
  });

  it('sequence outputs are left out of the interface; a sequence input cannot be served', async () => {
    const withSequenceOut = buildOnnxModel({
      inputs: [{ name: 'x', elemType: 'FP32', shape: [2] }],
      outputs: [
        { name: 'seq', elemType: 'FP32', shape: [2] },
        { name: 'y', elemType: 'FP32', shape: [2] },
      ],
      nodes: [
        { opType: 'SequenceConstruct', inputs: ['x'], outputs: ['seq'] },
        { opType: 'Identity', inputs: ['x'], outputs: ['y'] },
      ],
    });
    const model = await load(
      await writeModel(scratch.dir, 'seq-out.onnx', asSequences(withSequenceOut, ['seq'])),
    );
    expect(model.info().outputs.map((o) => o.name)).toEqual(['y']);
    const { outputs } = await model.infer({ inputs: [tensor('x', 'FP32', [2], Float32Array.of(1, 2))] });
    expect(outputs.map((o) => o.name)).toEqual(['y']);
    await model.unload();

    const withSequenceIn = buildOnnxModel({
      inputs: [{ name: 's', elemType: 'FP32', shape: [2] }],
      outputs: [{ name: 'n', elemType: 'INT64', shape: [] }],
      nodes: [{ opType: 'SequenceLength', inputs: ['s'], outputs: ['n'] }],
    });
    const file = await writeModel(scratch.dir, 'seq-in.onnx', asSequences(withSequenceIn, ['s']));
    const err = await expectAppError(load(file), 'unsupported_runtime', /input 's' is a non-tensor value/);
    expect(err.status).toBe(422);
  });
});
