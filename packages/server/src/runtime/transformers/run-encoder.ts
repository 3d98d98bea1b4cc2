import type { Tensor } from '@huggingface/transformers';
import type { PipelineParts } from './pipeline-parts.js';
import type { TokenizedBatch } from './tokenize-texts.js';

/** A float32 output as rows: `[batch, n]` gives one row per text, `[batch, seq, n]` one per token. */
export interface FloatOutput {
  data: Float32Array;
  dims: number[];
}

/** Runs the model on a tokenized batch and returns the first of `names` it produced, as float32. */
export async function runEncoder(
  parts: PipelineParts,
  batch: TokenizedBatch,
  names: string[],
): Promise<FloatOutput> {
  const outputs = (await parts.model(batch.inputs)) as Record<string, Tensor | undefined>;
  const name = names.find((n) => outputs[n] !== undefined);
  const tensor = name === undefined ? undefined : outputs[name];
  if (!tensor)
    throw new Error(
      `the model produced ${Object.keys(outputs).join(', ')}; expected one of ${names.join(', ')}`,
    );
  // fp16 models may answer in half precision.
  const floats = tensor.to('float32');
  return { data: floats.data as Float32Array, dims: floats.dims };
}
