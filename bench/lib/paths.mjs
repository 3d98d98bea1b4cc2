import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A module of the built server, e.g. `serverDist('training/index.js')`. */
export function serverDist(relative) {
  return path.join(repoRoot, 'packages/server/dist', relative);
}

export const cliBin = path.join(repoRoot, 'packages/cli/dist/bin.js');

export const squeezenetPath = path.join(repoRoot, '../shared/models/squeezenet1.0-fp16/SqueezeNet_fp16.onnx');

/** Writes a Llama GGUF of any size with random weights and stories260K's tokenizer. */
export const makeGgufTool = path.join(repoRoot, '../shared/tools/make-gguf.mjs');
