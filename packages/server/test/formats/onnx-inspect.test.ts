import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { inspectOnnx } from '../../src/formats/onnx-inspect.js';
import { expectAppError } from '../support/expect-app-error.js';
import {
  externalTensor,
  FLOAT,
  INT64,
  identityModel,
  valueInfo,
  writeModelWithBigInitializer,
} from '../support/onnx-builder.js';
import { sharedModelFile } from '../support/shared-models.js';
import { useTempDir } from '../support/temp-dir.js';

const { onnx } = onnxProto;
const tempDir = useTempDir('onnx');

/** Writes `model` as `<folder>/onnx/model.onnx` and any extra files relative to the folder. */
async function writeFolder(model: Buffer, files: Record<string, Buffer> = {}) {
  const folder = await tempDir();
  await mkdir(path.join(folder, 'onnx'));
  const modelPath = path.join(folder, 'onnx', 'model.onnx');
  await writeFile(modelPath, model);
  for (const [rel, data] of Object.entries(files)) await writeFile(path.join(folder, rel), data);
  return { folder, modelPath };
}

const withExternal = (location: string, extra: Record<string, string> = {}) =>
  identityModel({ initializers: [externalTensor('w', 4, { location, ...extra })] });

describe('inspectOnnx', () => {
  it('reads the interface of a built identity model, symbolic dims as -1', async () => {
    const { modelPath } = await writeFolder(identityModel());
    expect(await inspectOnnx(modelPath, {})).toEqual({
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      producer: 'modelport-test',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 3] }],
      initializerCount: 0,
      externalData: [],
    });
  });

  it('drops graph inputs that are initializers (IR < 4 style)', async () => {
    const model = identityModel({
      irVersion: 3,
      initializers: [{ name: 'w', dims: [2], dataType: INT64, int64Data: [1, 2] }],
      extraInputs: [valueInfo('w', INT64, [2]), valueInfo('mask', 9, [1, 'n'])],
    });
    const meta = await inspectOnnx((await writeFolder(model)).modelPath, {});
    expect(meta.inputs).toEqual([
      { name: 'x', datatype: 'FP32', shape: [-1, 3] },
      { name: 'mask', datatype: 'BOOL', shape: [1, -1] },
    ]);
    expect(meta.initializerCount).toBe(1);
  });

  it('skips a 50 MB initializer without loading it', async () => {
    const file = path.join(await tempDir(), 'big.onnx');
    await writeModelWithBigInitializer(file, 50 * 1024 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    const meta = await inspectOnnx(file, {});
    const grownBytes = process.memoryUsage().arrayBuffers - before;
    expect(meta.initializerCount).toBe(1);
    expect(meta.inputs).toEqual([{ name: 'x', datatype: 'FP32', shape: [1, 3] }]);
    expect(grownBytes).toBeLessThan(10 * 1024 * 1024);
  });

  it('reads a model larger than any Buffer could hold (6 GB sparse initializer)', async () => {
    const file = path.join(await tempDir(), 'huge.onnx');
    await writeModelWithBigInitializer(file, 6 * 1024 ** 3);
    expect((await inspectOnnx(file, {})).initializerCount).toBe(1);
  });

  it('accepts external data inside the folder and checks its extent', async () => {
    const data = Buffer.alloc(16);
    const ok = await writeFolder(withExternal('weights.bin'), { 'onnx/weights.bin': data });
    expect((await inspectOnnx(ok.modelPath, { folder: ok.folder })).externalData).toEqual(['weights.bin']);
    const short = await writeFolder(withExternal('weights.bin', { offset: '8' }), {
      'onnx/weights.bin': data,
    });
    await expectAppError(
      inspectOnnx(short.modelPath, { folder: short.folder }),
      'invalid_artifact',
      /bytes 8\.\.24/,
    );
  });

  it('refuses external data leaving the folder with ..', async () => {
    const { folder, modelPath } = await writeFolder(withExternal('../x'), { x: Buffer.alloc(16) });
    await expectAppError(inspectOnnx(modelPath, { folder }), 'unsafe_artifact_path', /\.\. segment/);
  });

  it('refuses an absolute external data location', async () => {
    const { folder, modelPath } = await writeFolder(withExternal('/etc/passwd'));
    await expectAppError(inspectOnnx(modelPath, { folder }), 'unsafe_artifact_path', /absolute/);
    const win = await writeFolder(withExternal('C:\\Windows\\win.ini'));
    await expectAppError(
      inspectOnnx(win.modelPath, { folder: win.folder }),
      'unsafe_artifact_path',
      /absolute/,
    );
  });

  it('refuses a NUL byte in a location', async () => {
    const { folder, modelPath } = await writeFolder(withExternal('w.bin\0.txt'));
    await expectAppError(inspectOnnx(modelPath, { folder }), 'unsafe_artifact_path', /NUL/);
  });

  it('refuses external data reached through a symlink out of the folder', async () => {
    const { folder, modelPath } = await writeFolder(withExternal('escape.bin'));
    await symlink('/etc/hostname', path.join(folder, 'onnx', 'escape.bin'));
    await expectAppError(
      inspectOnnx(modelPath, { folder }),
      'unsafe_artifact_path',
      /outside the model folder/,
    );
  });

  it('refuses a missing external data file', async () => {
    const { folder, modelPath } = await writeFolder(withExternal('missing.bin'));
    await expectAppError(inspectOnnx(modelPath, { folder }), 'invalid_artifact', /missing/);
  });

  it('refuses external data in a single-file upload', async () => {
    const { modelPath } = await writeFolder(withExternal('weights.bin'), {
      'onnx/weights.bin': Buffer.alloc(16),
    });
    await expectAppError(inspectOnnx(modelPath, {}), 'invalid_artifact', /needs a folder upload \(tar\)/);
  });

  it('finds external data referenced by a Constant node', async () => {
    const model = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ version: 17 }],
      graph: {
        node: [
          {
            opType: 'Constant',
            output: ['c'],
            attribute: [{ name: 'value', type: 4, t: externalTensor('c', 4, { location: '../c.bin' }) }],
          },
        ],
        output: [valueInfo('c', FLOAT, [4])],
      },
    }).finish();
    const { folder, modelPath } = await writeFolder(Buffer.from(model));
    await expectAppError(inspectOnnx(modelPath, { folder }), 'unsafe_artifact_path', /\.\./);
  });

  it('refuses garbage, truncated protobuf and a model without a graph', async () => {
    const dir = await tempDir();
    const garbage = path.join(dir, 'garbage.onnx');
    await writeFile(garbage, Buffer.from([0x08, 0x08, 0x3a, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
    await expectAppError(inspectOnnx(garbage, {}), 'invalid_artifact', /overruns/);
    const full = identityModel();
    for (const cut of [1, 10, full.length - 5, full.length - 1]) {
      const file = path.join(dir, `cut-${cut}.onnx`);
      await writeFile(file, full.subarray(0, cut));
      await expectAppError(inspectOnnx(file, {}), 'invalid_artifact');
    }
    const noGraph = path.join(dir, 'no-graph.onnx');
    await writeFile(noGraph, identityModel({ graph: null }));
    await expectAppError(inspectOnnx(noGraph, {}), 'invalid_artifact', /no graph/);
  });

  const mnist = sharedModelFile('mnist/mnist.onnx');
  it.skipIf(mnist.skip)('reads the real mnist.onnx', async () => {
    const meta = await inspectOnnx(mnist.file, {});
    expect(meta.inputs).toEqual([{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28] }]);
    expect(meta.outputs).toEqual([{ name: 'Plus214_Output_0', datatype: 'FP32', shape: [1, 10] }]);
    expect(meta.externalData).toEqual([]);
  });

  const squeezenet = sharedModelFile('squeezenet1.0-fp16/SqueezeNet_fp16.onnx');
  it.skipIf(squeezenet.skip)('reads the real FP16 squeezenet', async () => {
    const meta = await inspectOnnx(squeezenet.file, {});
    expect(meta.inputs).toEqual([{ name: 'data_0', datatype: 'FP16', shape: [1, 3, 224, 224] }]);
    expect(meta.outputs).toEqual([{ name: 'softmaxout_1', datatype: 'FP16', shape: [1, 1000, 1, 1] }]);
  });
});
