import { AppError } from '../../platform/errors/index.js';
import { chooseGguf, isGguf } from './choose-gguf.js';
import { chooseOnnx, isOnnxDtype } from './choose-onnx.js';
import type { FileChoice, RepoFile } from './repo-files.js';

export interface ChooseInput {
  files: readonly RepoFile[];
  /** A file or folder of the repository the source names. */
  path: string | undefined;
  /** A GGUF quantization or an ONNX dtype. */
  tag: string | undefined;
  /** "org/repo@commit", for messages. */
  where: string;
}

/**
 * What to download (docs/hub.md, "Which files"): the file the path names; else, in the repository or
 * the folder the path names, a GGUF file when there is one (unless the tag is an ONNX dtype), else
 * a transformers.js ONNX folder.
 */
export function chooseFiles(input: ChooseInput): FileChoice {
  const { path, tag } = input;
  if (path !== undefined) {
    const exact = input.files.find((f) => f.path === path);
    if (exact) {
      if (tag !== undefined) {
        throw new AppError(
          'invalid_hub_source',
          `'${path}' is one file: a quantization (:${tag}) cannot apply.`,
        );
      }
      return { kind: 'file', files: [exact], config: {} };
    }
  }
  const scope = path === undefined ? input.files : inFolder(input.files, path);
  const where = path === undefined ? input.where : `${input.where}/${path}`;
  if (scope.length === 0)
    throw new AppError('hub_not_found', `${input.where} has no file or folder '${path}'.`);
  const gguf = scope.filter(isGguf);
  if (gguf.length > 0 && !(tag !== undefined && isOnnxDtype(tag))) return chooseGguf(gguf, tag, where);
  const onnx = chooseOnnx(scope, tag, where);
  if (onnx) return onnx;
  if (tag !== undefined) throw new AppError('hub_not_found', `${where} has no GGUF file (asked: ${tag}).`);
  throw new AppError(
    'hub_unsupported_repo',
    `${where} has no GGUF or ONNX file; Modelport serves those formats (look for an ONNX or GGUF conversion of the model).`,
  );
}

function inFolder(files: readonly RepoFile[], folder: string): RepoFile[] {
  const prefix = `${folder}/`;
  return files
    .filter((f) => f.path.startsWith(prefix))
    .map((f) => ({ ...f, path: f.path.slice(prefix.length) }));
}
