import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../platform/errors/index.js';
import type { ExternalRef } from './onnx-tensor-scan.js';

const DECIMAL = /^\d+$/;

function invalid(message: string): AppError {
  return new AppError('invalid_artifact', message);
}

function unsafe(location: string, why: string): AppError {
  return new AppError('unsafe_artifact_path', `ONNX external data location '${location}' ${why}`);
}

/** Refuses locations that could point anywhere but below the model's own folder. */
function checkLexically(location: string): void {
  if (location.includes('\0')) throw unsafe(location.replaceAll('\0', '\\0'), 'contains a NUL byte');
  if (path.posix.isAbsolute(location) || path.win32.isAbsolute(location) || /^[a-zA-Z]:/.test(location)) {
    throw unsafe(location, 'is absolute');
  }
  if (location.split(/[\\/]/).includes('..')) throw unsafe(location, 'contains a .. segment');
}

function isInside(folder: string, target: string): boolean {
  const rel = path.relative(folder, target);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function parseDecimal(value: string | undefined, what: string, ref: ExternalRef): bigint | undefined {
  if (value === undefined) return undefined;
  if (!DECIMAL.test(value))
    throw invalid(`Tensor '${ref.tensor}' has a bad external data ${what} '${value}'`);
  return BigInt(value);
}

/** Resolves a location like the runtime does (relative to the model file) and returns its real path. */
async function resolveInside(location: string, modelDir: string, folder: string): Promise<string> {
  const lexical = path.resolve(modelDir, location);
  if (!isInside(folder, lexical)) throw unsafe(location, 'leaves the model folder');
  let real: string;
  try {
    real = await realpath(lexical);
  } catch {
    throw invalid(`ONNX external data file '${location}' is missing`);
  }
  if (!isInside(folder, real)) throw unsafe(location, 'resolves outside the model folder');
  return real;
}

/** Every byte range a tensor claims must lie inside its external file. */
function checkExtent(ref: ExternalRef, location: string, fileBytes: number): void {
  const offset = parseDecimal(ref.offset, 'offset', ref) ?? 0n;
  const length = parseDecimal(ref.length, 'length', ref) ?? ref.expectedBytes ?? 0n;
  if (offset + length > BigInt(fileBytes)) {
    throw invalid(
      `Tensor '${ref.tensor}' needs bytes ${offset}..${offset + length} of '${location}', which has ${fileBytes}`,
    );
  }
}

/**
 * Validates the external-data references of an ONNX model at `modelPath`. Without `folder` (a single
 * file upload) there is nowhere for the data to be, so any reference is refused. Returns the distinct
 * locations.
 */
export async function checkExternalData(
  refs: readonly ExternalRef[],
  modelPath: string,
  folder: string | undefined,
): Promise<string[]> {
  if (refs.length === 0) return [];
  for (const ref of refs) {
    if (!ref.location) throw invalid(`Tensor '${ref.tensor}' has external data without a location`);
    checkLexically(ref.location);
  }
  if (folder === undefined) {
    throw invalid('ONNX external data needs a folder upload (tar) holding the model and its data files');
  }
  const folderReal = await realpath(folder);
  const modelDir = await realpath(path.dirname(modelPath));
  const sizes = new Map<string, number>();
  for (const ref of refs) {
    const location = ref.location ?? '';
    let size = sizes.get(location);
    if (size === undefined) {
      const info = await stat(await resolveInside(location, modelDir, folderReal));
      if (!info.isFile()) throw invalid(`ONNX external data '${location}' is not a regular file`);
      size = info.size;
      sizes.set(location, size);
    }
    checkExtent(ref, location, size);
  }
  return [...sizes.keys()];
}
