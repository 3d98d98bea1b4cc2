import { AppError } from '../../platform/errors/index.js';
import type { FloatOutput } from './run-encoder.js';

export type Pooling = 'mean' | 'cls' | 'none';

/**
 * One vector per text from hidden states `[batch, seq, dim]`, counting only attended tokens (the
 * mask), so padding never shifts a text's vector. `none` gives one vector per token and so takes
 * a single text. A 2-D output `[batch, dim]` is already pooled by the model and is used as is.
 */
export function pool(hidden: FloatOutput, mask: BigInt64Array, pooling: Pooling): number[][] {
  const [batch, seq, dim] = hidden.dims;
  if (hidden.dims.length === 2) return rows(hidden.data, batch ?? 0, seq ?? 0);
  if (batch === undefined || seq === undefined || dim === undefined || hidden.dims.length !== 3)
    throw new Error(`hidden states of shape [${hidden.dims}] cannot be pooled`);
  const vectors: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const tokens = attended(mask, b, seq);
    const at = (t: number) => hidden.data.subarray((b * seq + t) * dim, (b * seq + t + 1) * dim);
    if (pooling === 'none') vectors.push(...tokens.map((t) => Array.from(at(t))));
    else if (pooling === 'cls') vectors.push(Array.from(at(tokens[0] ?? 0)));
    else vectors.push(mean(tokens.map(at), dim));
  }
  return vectors;
}

/** `none` answers per token, which only one text can map to `embeddings: number[][]`. */
export function checkPooling(pooling: Pooling, texts: number): void {
  if (pooling === 'none' && texts !== 1)
    throw new AppError(
      'validation_failed',
      "pooling 'none' returns one vector per token and takes one text.",
      {
        param: 'pooling',
      },
    );
}

export function normalized(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return norm > 0 ? vector.map((x) => x / norm) : vector;
}

function attended(mask: BigInt64Array, row: number, seq: number): number[] {
  const tokens: number[] = [];
  for (let t = 0; t < seq; t++) if (mask[row * seq + t] !== 0n) tokens.push(t);
  return tokens;
}

function mean(vectors: Float32Array[], dim: number): number[] {
  const sum = new Float64Array(dim);
  for (const v of vectors) for (let i = 0; i < dim; i++) sum[i] = (sum[i] ?? 0) + (v[i] ?? 0);
  return Array.from(sum, (x) => x / Math.max(1, vectors.length));
}

function rows(data: Float32Array, count: number, width: number): number[][] {
  return Array.from({ length: count }, (_, r) => Array.from(data.subarray(r * width, (r + 1) * width)));
}
