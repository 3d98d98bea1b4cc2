import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildOnnxModel } from '../../../server/src/formats/index.js';

export interface TinyOnnxOptions {
  /** Varies the bytes (and so the sha256) without changing the graph. */
  tag?: string;
  /** Pads the file with a doc string of this many bytes, for progress and large-upload paths. */
  padBytes?: number;
}

/** A valid ONNX model `y = Identity(x)`, FP32 [-1, 4], opset 17, IR version 8. */
export function tinyOnnx(options: TinyOnnxOptions = {}): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', elemType: 'FP32', shape: [-1, 4] }],
    outputs: [{ name: 'y', elemType: 'FP32', shape: [-1, 4] }],
    nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
    producer: `modelport-test-${options.tag ?? '1'}`,
    docString: 'x'.repeat(options.padBytes ?? 0),
  });
}

export async function writeTinyOnnx(
  dir: string,
  fileName: string,
  options: TinyOnnxOptions = {},
): Promise<string> {
  const file = path.join(dir, fileName);
  await writeFile(file, tinyOnnx(options));
  return file;
}
