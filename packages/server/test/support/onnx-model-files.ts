import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { buildOnnxModel, type Dim, type OnnxModelSpec } from '../../src/formats/index.js';
import type { Datatype } from '../../src/wire/tensor.js';

/** A scratch folder for model files, removed by `cleanup`. */
export async function scratchDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'modelport-onnx-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const { onnx } = onnxProto;

/** Writes a model built from `spec` (or given as bytes) into `dir`. */
export async function writeModel(
  dir: string,
  name: string,
  model: OnnxModelSpec | Uint8Array,
): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, model instanceof Uint8Array ? model : buildOnnxModel(model));
  return file;
}

/** y = Identity(x): onnxruntime's CPU provider runs it for every tensor type. */
export function identitySpec(datatype: Datatype, shape: readonly Dim[]): OnnxModelSpec {
  return {
    inputs: [{ name: 'x', elemType: datatype, shape }],
    outputs: [{ name: 'y', elemType: datatype, shape }],
    nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
  };
}

/** sum = a + b, plus diff = a - b so output selection has something to choose from. */
export function addSpec(datatype: Datatype, shape: readonly Dim[]): OnnxModelSpec {
  return {
    inputs: [
      { name: 'a', elemType: datatype, shape },
      { name: 'b', elemType: datatype, shape },
    ],
    outputs: [
      { name: 'sum', elemType: datatype, shape },
      { name: 'diff', elemType: datatype, shape },
    ],
    nodes: [
      { opType: 'Add', inputs: ['a', 'b'], outputs: ['sum'] },
      { opType: 'Sub', inputs: ['a', 'b'], outputs: ['diff'] },
    ],
  };
}

/**
 * Re-types graph inputs/outputs as sequence(tensor(float)): the graph builder only declares tensors,
 * and these tests need the sequence values that some exported models (ZipMap, loops) expose.
 */
export function asSequences(bytes: Uint8Array, names: readonly string[]): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  for (const value of [...(model.graph?.input ?? []), ...(model.graph?.output ?? [])]) {
    if (names.includes(value.name ?? '')) {
      value.type = onnx.TypeProto.create({
        sequenceType: { elemType: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } },
      });
    }
  }
  return onnx.ModelProto.encode(model).finish();
}
