import { AppError } from '../platform/errors/index.js';
import { looksLikeOnnx } from './onnx-head.js';

export type SniffedFormat = 'onnx' | 'gguf' | 'tar';

/** How many leading bytes callers pass to `sniffFormat`. */
export const SNIFF_BYTES = 4096;

const SUPPORTED_GGUF_VERSIONS = new Set([2, 3]);
const TAR_MAGIC_OFFSET = 257;
const EXPORT_HINT = 'export the model to ONNX or GGUF';
const FORBIDDEN_ZIP =
  'Zip archives are not accepted: a PyTorch .pt/.pth file is a zip of pickles, and pickle can run ' +
  `arbitrary code when loaded; ${EXPORT_HINT}, or upload a model folder as an uncompressed tar`;

function startsWith(head: Buffer, bytes: readonly number[], offset = 0): boolean {
  return bytes.every((b, i) => head[offset + i] === b);
}

function checkGgufVersion(head: Buffer): void {
  if (head.length < 8) throw new AppError('invalid_artifact', 'GGUF header is truncated');
  const version = head.readUInt32LE(4);
  if (SUPPORTED_GGUF_VERSIONS.has(version)) return;
  const swapped = head.readUInt32BE(4);
  const hint = SUPPORTED_GGUF_VERSIONS.has(swapped) ? ' (big-endian GGUF is not supported)' : '';
  throw new AppError(
    'invalid_artifact',
    `GGUF version ${version} is not supported${hint}; only versions 2 and 3 are accepted`,
  );
}

/** Refuses the formats that are code, not data: they are never opened, let alone unpickled. */
function refuseForbidden(head: Buffer): void {
  const b0 = head[0];
  const b1 = head[1];
  if (b0 === 0x80 && b1 !== undefined && b1 >= 2 && b1 <= 5) {
    throw new AppError(
      'forbidden_artifact_format',
      `Python pickle (protocol ${b1}) is never accepted: loading a pickle can run arbitrary code; ${EXPORT_HINT}`,
    );
  }
  // Local file header, empty archive, spanned archive.
  const zipHeads = [
    [0x50, 0x4b, 0x03, 0x04],
    [0x50, 0x4b, 0x05, 0x06],
    [0x50, 0x4b, 0x07, 0x08],
  ];
  if (zipHeads.some((magic) => startsWith(head, magic))) {
    throw new AppError('forbidden_artifact_format', FORBIDDEN_ZIP);
  }
  if (b0 === 0x78 && (b1 === 0x01 || b1 === 0x5e || b1 === 0x9c || b1 === 0xda)) {
    throw new AppError(
      'forbidden_artifact_format',
      `zlib-compressed data (as written by joblib around a pickle) is never accepted; ${EXPORT_HINT}`,
    );
  }
}

function looksLikeSafetensors(head: Buffer): boolean {
  if (head.length < 9 || head[8] !== 0x7b) return false;
  const headerBytes = head.readBigUInt64LE(0);
  return headerBytes > 1n && headerBytes < 100_000_000n;
}

/** Names what an unsupported file looks like, when that is recognisable. */
function describeUnsupported(head: Buffer): string | undefined {
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip-compressed data; upload an uncompressed tar';
  if (startsWith(head, [0x42, 0x5a, 0x68])) return 'bzip2-compressed data; upload an uncompressed tar';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) {
    return 'xz-compressed data; upload an uncompressed tar';
  }
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd-compressed data; upload an uncompressed tar';
  if (startsWith(head, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return `a NumPy .npy array; ${EXPORT_HINT}`;
  if (startsWith(head, [0x89, 0x48, 0x44, 0x46])) return `an HDF5 file (e.g. Keras .h5); ${EXPORT_HINT}`;
  if (looksLikeSafetensors(head)) return `a safetensors file; ${EXPORT_HINT}`;
  if (startsWith(head, [0x54, 0x46, 0x4c, 0x33], 4)) return `a TensorFlow Lite model; ${EXPORT_HINT}`;
  return undefined;
}

/**
 * Detects the artifact format from its first bytes only (pass up to `SNIFF_BYTES`); file names and
 * content types are never trusted.
 */
export function sniffFormat(head: Buffer): SniffedFormat {
  if (head.length === 0) throw new AppError('empty_artifact', 'The artifact has no bytes');
  if (startsWith(head, [0x47, 0x47, 0x55, 0x46])) {
    checkGgufVersion(head);
    return 'gguf';
  }
  if (startsWith(head, [0x75, 0x73, 0x74, 0x61, 0x72], TAR_MAGIC_OFFSET)) return 'tar';
  refuseForbidden(head);
  if (looksLikeOnnx(head)) return 'onnx';
  const looks = describeUnsupported(head);
  throw new AppError(
    'unsupported_artifact_format',
    looks === undefined
      ? 'Unrecognised artifact: expected ONNX, GGUF (v2/v3) or an uncompressed tar of a model folder'
      : `Unsupported artifact: this looks like ${looks}`,
  );
}
