import { AppError } from '../../platform/errors/index.js';
import { binaryBodyError, isRecord } from './codec-errors.js';
import { parseJsonLossless } from './lossless-json.js';

export interface SplitBody {
  /** The parsed JSON part; integers beyond 2^53 in INT64/UINT64 tensor data are `bigint`. */
  json: unknown;
  /** The bytes after the JSON part (empty without the binary extension). */
  binary: Buffer;
  /** Whether `Inference-Header-Content-Length` was given. */
  hasBinaryExtension: boolean;
}

/**
 * Splits a body at `headerLength` (the `Inference-Header-Content-Length` header) and parses the
 * JSON part. `tensorKey` names the tensor list whose INT64/UINT64 data must keep full precision.
 * `binarySection`, when the bytes arrived apart from the body (shared memory), is the binary part.
 */
export function readJsonHeader(
  body: Buffer,
  headerLength: number | undefined,
  tensorKey: 'inputs' | 'outputs',
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
  // JSON.parse rounds integers beyond 2^53; re-read the text exactly only when such a value is
  // headed for a 64-bit integer tensor (rare, so the common path keeps JSON.parse's speed).
  if (hasRoundedInt64(json, tensorKey)) json = parseJsonLossless(text);
  return {
    json,
    binary: binarySection ?? body.subarray(jsonLength),
    hasBinaryExtension: headerLength !== undefined || binarySection !== undefined,
  };
}

function hasRoundedInt64(json: unknown, tensorKey: string): boolean {
  if (!isRecord(json)) return false;
  const tensors = json[tensorKey];
  if (!Array.isArray(tensors)) return false;
  return tensors.some(
    (t: unknown) =>
      isRecord(t) && (t.datatype === 'INT64' || t.datatype === 'UINT64') && containsUnsafeInteger(t.data),
  );
}

/** Walks nested arrays without recursion, so absurd nesting cannot exhaust the stack. */
function containsUnsafeInteger(data: unknown): boolean {
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      for (const child of item) stack.push(child);
    } else if (typeof item === 'number' && Number.isInteger(item) && !Number.isSafeInteger(item)) {
      return true;
    }
  }
  return false;
}
