import { AppError } from '../../platform/errors/index.js';
import { binaryBodyError } from './codec-errors.js';
import { RoundedIntegerFound } from './json-to-tensor-data.js';
import { parseJsonLossless } from './lossless-json.js';

export interface SplitBody {
  /** The parsed JSON part. */
  json: unknown;
  /** The bytes after the JSON part (empty without the binary extension). */
  binary: Buffer;
  /** Whether `Inference-Header-Content-Length` was given. */
  hasBinaryExtension: boolean;
  /** Whether `json` was read exactly: integers beyond 2^53 are `bigint`, not rounded numbers. */
  exact: boolean;
  /** The JSON text, for a second, exact reading. */
  text: string;
}

/**
 * Splits a body at `headerLength` (the `Inference-Header-Content-Length` header) and parses the
 * JSON part with `JSON.parse`. `binarySection`, when the bytes arrived apart from the body (shared
 * memory), is the binary part. Readers go through `readExactlyWhenRounded`.
 */
export function readJsonHeader(
  body: Buffer,
  headerLength: number | undefined,
  binarySection?: Buffer,
): SplitBody {
  const jsonLength = headerLength ?? body.length;
  if (!Number.isSafeInteger(jsonLength) || jsonLength < 0)
    throw binaryBodyError(
      `Inference-Header-Content-Length must be a non-negative integer, got ${headerLength}.`,
    );
  if (jsonLength > body.length)
    throw binaryBodyError(
      `Inference-Header-Content-Length ${jsonLength} exceeds the body length ${body.length} bytes.`,
    );
  const text = body.toString('utf8', 0, jsonLength);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('invalid_json', `Inference header is not valid JSON: ${(err as Error).message}`);
  }
  return {
    json,
    binary: binarySection ?? body.subarray(jsonLength),
    hasBinaryExtension: headerLength !== undefined || binarySection !== undefined,
    exact: false,
    text,
  };
}

/**
 * Runs `read` on the parsed body; when INT64/UINT64 data turns out to hold an integer
 * `JSON.parse` rounded (rare), reads the text again exactly and runs `read` on that. The common
 * path thus keeps `JSON.parse`'s speed and walks the data once.
 */
export function readExactlyWhenRounded<T>(split: SplitBody, read: (split: SplitBody) => T): T {
  try {
    return read(split);
  } catch (err) {
    if (!(err instanceof RoundedIntegerFound)) throw err;
    return read({ ...split, json: parseJsonLossless(split.text), exact: true });
  }
}
