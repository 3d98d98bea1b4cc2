import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../platform/errors/index.js';

async function onnxFileInFolder(folder: string): Promise<string> {
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.onnx'))
    .map((e) => e.name);
  if (names.includes('model.onnx')) return path.join(folder, 'model.onnx');
  const [only, ...others] = names;
  if (only !== undefined && others.length === 0) return path.join(folder, only);
  const found = names.length === 0 ? 'none' : names.join(', ');
  throw new AppError(
    'invalid_artifact',
    `model folder ${folder} needs model.onnx or exactly one .onnx file at its top level (found: ${found})`,
  );
}

/**
 * The .onnx file to load: `modelPath` itself, or for a folder model its `model.onnx` (or sole .onnx
 * file). Loading by path, not bytes, lets onnxruntime resolve external data next to the model.
 */
export async function resolveModelFile(modelPath: string): Promise<string> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(modelPath);
  } catch (err) {
    throw new AppError(
      'invalid_artifact',
      `model file ${modelPath} cannot be read: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return info.isDirectory() ? onnxFileInFolder(modelPath) : modelPath;
}
