import { AppError } from '../../platform/errors/index.js';
import { baseName, type FileChoice, type RepoFile, smallest } from './repo-files.js';

/** Without a quantization in the source, the first of these present is taken, else the smallest file. */
export const GGUF_PREFERENCE = ['Q4_K_M', 'Q8_0'] as const;

const SPLIT_SHARD = /-\d{5}-of-\d{5}\.gguf$/i;
/** `model-Q4_K_M.gguf`, `model.q8_0.gguf`, `model_IQ3_XS.gguf`, `model-BF16.gguf`. */
const QUANT = /(?:^|[-._])((?:I?Q\d(?:_[A-Z0-9]+)*)|(?:B?F(?:16|32))|(?:MXFP4(?:_[A-Z0-9]+)*))(?=$|[-.])/i;

export function isGguf(file: RepoFile): boolean {
  return file.path.toLowerCase().endsWith('.gguf');
}

/** The quantization a GGUF file's name states, upper-cased; null when it states none. */
export function quantizationOf(file: RepoFile): string | null {
  const stem = baseName(file.path).replace(/\.gguf$/i, '');
  return QUANT.exec(stem)?.[1]?.toUpperCase() ?? null;
}

/**
 * One GGUF file of the repository: the quantization asked for, else Q4_K_M, else Q8_0, else the
 * smallest. Vision projectors (`mmproj*`) are never the model; split shards are not served yet.
 */
export function chooseGguf(files: readonly RepoFile[], tag: string | undefined, where: string): FileChoice {
  const usable = files.filter(
    (f) => !baseName(f.path).toLowerCase().startsWith('mmproj') && !SPLIT_SHARD.test(f.path),
  );
  if (usable.length === 0) {
    throw new AppError(
      'hub_unsupported_repo',
      `${where} has only split GGUF shards or projector files; Modelport serves a single-file GGUF.`,
    );
  }
  const withQuant = (quant: string) => usable.filter((f) => quantizationOf(f) === quant.toUpperCase());
  let chosen: RepoFile | undefined;
  if (tag !== undefined) {
    chosen = smallest(withQuant(tag));
    if (!chosen) {
      const present = [...new Set(usable.map((f) => quantizationOf(f) ?? baseName(f.path)))].sort();
      throw new AppError(
        'hub_not_found',
        `${where} has no GGUF file of quantization ${tag}; it has: ${present.join(', ')}.`,
      );
    }
  } else {
    for (const quant of GGUF_PREFERENCE) chosen ??= smallest(withQuant(quant));
    chosen ??= smallest(usable);
  }
  if (!chosen) throw new AppError('hub_unsupported_repo', `${where} has no GGUF file.`);
  return { kind: 'file', files: [chosen], config: {} };
}
