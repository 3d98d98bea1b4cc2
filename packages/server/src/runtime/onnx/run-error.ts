import { AppError } from '../../platform/errors/index.js';
import type { ModelInfo } from '../../wire/index.js';

/** Faults in the values fed in (an index out of range): the input's doing whatever the shapes. */
const valueFaults: readonly RegExp[] = [/out of (data )?bounds/i, /must be within the inclusive range/i];

/**
 * Shape clashes inside the graph. Inputs are checked against the declaration first, so these can only
 * come from the sizes chosen for dynamic dimensions (two that must agree, a reshape that does not
 * fit); with fully fixed inputs they point at the model instead.
 */
const shapeFaults: readonly RegExp[] = [
  /Got invalid dimensions for input/i,
  /broadcast/i,
  /cannot be reshaped/i,
  /dimension mismatch/i,
  /incompatible dimensions/i,
];

const hasDynamicInput = (info: ModelInfo) => info.inputs.some((s) => s.shape.includes(-1));

/** An ORT run error as a 400 when the input clearly caused it; anything else is returned unchanged. */
export function classifyRunError(err: unknown, info: ModelInfo): unknown {
  const message = err instanceof Error ? err.message : String(err);
  const matches = (patterns: readonly RegExp[]) => patterns.some((re) => re.test(message));
  const inputFault = matches(valueFaults) || (hasDynamicInput(info) && matches(shapeFaults));
  if (!inputFault) return err;
  return new AppError('invalid_tensor', `the model rejected the input: ${message}`, { cause: err });
}
