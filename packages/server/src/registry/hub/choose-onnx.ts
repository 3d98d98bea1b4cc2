import { AppError } from '../../platform/errors/index.js';
import { baseName, type FileChoice, type RepoFile } from './repo-files.js';

/**
 * transformers.js dtypes by preference, each with the suffix of its ONNX file names: full precision
 * first (exact answers on CPU), then the 8-bit ones, then half precision and 4-bit.
 */
export const ONNX_DTYPES = [
  ['fp32', ''],
  ['q8', '_quantized'],
  ['int8', '_int8'],
  ['uint8', '_uint8'],
  ['fp16', '_fp16'],
  ['q4', '_q4'],
  ['q4f16', '_q4f16'],
  ['bnb4', '_bnb4'],
] as const;
export type OnnxDtype = (typeof ONNX_DTYPES)[number][0];

const BY_SUFFIX_LENGTH = [...ONNX_DTYPES]
  .filter(([, s]) => s !== '')
  .sort((a, b) => b[1].length - a[1].length);
/** Separate decoders that a merged decoder (`decoder_model_merged`) replaces. */
const MERGED_REPLACES = ['decoder_model', 'decoder_with_past_model'];
const CONFIG_FILE = 'config.json';
/** Files beside config.json that a pipeline reads: configs, tokenizers, vocabularies. */
const SIDE_FILE = /\.(json|txt|model|tiktoken)$/i;

export function isOnnxDtype(tag: string): tag is OnnxDtype {
  return ONNX_DTYPES.some(([dtype]) => dtype === tag);
}

interface OnnxFile {
  file: RepoFile;
  session: string;
  dtype: OnnxDtype;
}

function parseOnnx(file: RepoFile): OnnxFile {
  const stem = baseName(file.path).replace(/\.onnx$/i, '');
  const hit = BY_SUFFIX_LENGTH.find(([, suffix]) => stem.endsWith(suffix));
  return hit
    ? { file, session: stem.slice(0, -hit[1].length), dtype: hit[0] }
    : { file, session: stem, dtype: 'fp32' };
}

/** Per session (`encoder_model`, `decoder_model_merged`...), its file in the dtype chosen for it. */
function chooseSessions(onnx: OnnxFile[], tag: OnnxDtype | undefined, where: string): OnnxFile[] {
  const sessions = new Set(onnx.map((o) => o.session));
  if (sessions.has('decoder_model_merged')) for (const s of MERGED_REPLACES) sessions.delete(s);
  const chosen: OnnxFile[] = [];
  for (const session of [...sessions].sort()) {
    const own = onnx.filter((o) => o.session === session);
    const order = tag === undefined ? ONNX_DTYPES.map(([d]) => d) : [tag];
    const pick = order.map((d) => own.find((o) => o.dtype === d)).find((o) => o !== undefined);
    if (!pick) {
      throw new AppError(
        'hub_not_found',
        `${where} has no ${tag} file of ${session}; it has: ${own.map((o) => o.dtype).join(', ')}.`,
      );
    }
    chosen.push(pick);
  }
  return chosen;
}

/** `onnx/model.onnx_data`, `onnx/model.onnx.data`, `onnx/model.onnx_data_1`: weights kept beside the graph. */
function externalDataOf(files: readonly RepoFile[], onnx: RepoFile): RepoFile[] {
  return files.filter(
    (f) => f.path.startsWith(`${onnx.path}_data`) || f.path.startsWith(`${onnx.path}.data`),
  );
}

/**
 * A transformers.js folder: config.json and the configs, tokenizer and vocabulary files beside it,
 * plus `onnx/*.onnx` in the dtype asked for, else per session the first of ONNX_DTYPES present.
 * Without `onnx/` and config.json, a lone `*.onnx` at the root is a single-file ONNX model.
 * Null when the files hold no ONNX graph at all.
 */
export function chooseOnnx(
  files: readonly RepoFile[],
  tag: string | undefined,
  where: string,
): FileChoice | null {
  const dtype = tag !== undefined && isOnnxDtype(tag) ? tag : undefined;
  const inFolder = files.filter((f) => /^onnx\/[^/]+\.onnx$/i.test(f.path));
  const atRoot = files.filter((f) => /^[^/]+\.onnx$/i.test(f.path));
  const graphs = (inFolder.length > 0 ? inFolder : atRoot).map(parseOnnx);
  if (graphs.length === 0) return null;
  if (tag !== undefined && dtype === undefined) {
    throw new AppError(
      'hub_not_found',
      `${where} holds ONNX files, not GGUF: '${tag}' is no dtype (${ONNX_DTYPES.map(([d]) => d).join(', ')}).`,
    );
  }
  const chosen = chooseSessions(graphs, dtype, where);
  const weights = chosen.flatMap((o) => [o.file, ...externalDataOf(files, o.file)]);
  const config = files.find((f) => f.path === CONFIG_FILE);
  if (!config) {
    const only = weights.length === 1 ? weights[0] : undefined;
    if (inFolder.length === 0 && only) return { kind: 'file', files: [only], config: {} };
    throw new AppError(
      'hub_unsupported_repo',
      `${where} has ONNX files but no ${CONFIG_FILE}: it is not a transformers.js folder.`,
    );
  }
  const side = files.filter((f) => !f.path.includes('/') && SIDE_FILE.test(f.path));
  const dtypes = new Set(chosen.map((o) => o.dtype));
  const dtypeConfig =
    dtypes.size === 1 ? chosen[0]?.dtype : Object.fromEntries(chosen.map((o) => [o.session, o.dtype]));
  return { kind: 'folder', files: [...side, ...weights], config: { dtype: dtypeConfig } };
}
