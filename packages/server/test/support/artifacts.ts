import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { create as createTar } from 'tar';
import { buildOnnxModel } from '../../src/formats/index.js';

/** A small valid ONNX model: y = x + b with a dynamic batch dimension; `bias` varies the bytes. */
export function addModel(bias = 1): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape: ['batch', 4] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: ['batch', 4] }],
    initializers: [
      { name: 'b', elemType: 'FP32', dims: [4], data: new Float32Array([bias, bias, bias, bias]) },
    ],
    nodes: [{ opType: 'Add', inputs: ['x', 'b'], outputs: ['y'] }],
  });
}

/** A transformers.js-style folder (config.json, tokenizer, onnx/model.onnx) packed as tar bytes. */
export async function folderModelTar(): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-folder-'));
  await mkdir(path.join(dir, 'onnx'));
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ model_type: 'bert', id2label: { 0: 'neg', 1: 'pos' } }),
  );
  await writeFile(
    path.join(dir, 'tokenizer.json'),
    JSON.stringify({ version: '1.0', model: { type: 'WordLevel' } }),
  );
  await writeFile(path.join(dir, 'onnx', 'model.onnx'), addModel(3));
  const chunks: Buffer[] = [];
  for await (const chunk of createTar({ cwd: dir, portable: true }, [
    'config.json',
    'tokenizer.json',
    'onnx',
  ])) {
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}
