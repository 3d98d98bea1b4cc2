import { AppError } from '../../platform/errors/index.js';
import type { InferRequest, ModelInfo, Tensor, TensorSpec } from '../../wire/index.js';
import { checkInputTensor } from './tensor-check.js';

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

function bad(message: string, param: string, details: unknown): AppError {
  return new AppError('invalid_tensor', message, { param, details });
}

function checkInputs(declared: readonly TensorSpec[], inputs: readonly Tensor[]): void {
  const expected = declared.map((s) => s.name);
  const byName = new Map(declared.map((s) => [s.name, s]));
  const seen = new Set<string>();
  for (const tensor of inputs) {
    const spec = byName.get(tensor.name);
    if (!spec) {
      throw bad(`unknown input '${tensor.name}'; the model expects ${quoted(expected)}`, tensor.name, {
        expected,
      });
    }
    if (seen.has(tensor.name)) throw bad(`input '${tensor.name}' is given twice`, tensor.name, {});
    seen.add(tensor.name);
    checkInputTensor(tensor, spec);
  }
  const missing = expected.filter((n) => !seen.has(n));
  if (missing.length > 0) {
    const noun = missing.length === 1 ? 'input' : 'inputs';
    throw bad(`missing ${noun} ${quoted(missing)}; the model expects ${quoted(expected)}`, missing[0] ?? '', {
      missing,
      expected,
    });
  }
}

function checkOutputs(declared: readonly TensorSpec[], requested: readonly string[]): void {
  const known = declared.map((s) => s.name);
  const seen = new Set<string>();
  for (const name of requested) {
    if (!known.includes(name)) {
      throw bad(`unknown output '${name}'; the model has ${quoted(known)}`, name, { known });
    }
    if (seen.has(name)) throw bad(`output '${name}' is requested twice`, name, {});
    seen.add(name);
  }
}

/**
 * Validates a request against the model's declared interface before anything reaches onnxruntime,
 * so callers get a precise 400 instead of a native error. Returns the output names to fetch.
 */
export function checkRequest(info: ModelInfo, request: InferRequest): string[] {
  checkInputs(info.inputs, request.inputs);
  // An empty list reads as "no preference", like an absent one: codecs often default to [].
  if (request.outputs === undefined || request.outputs.length === 0) return info.outputs.map((s) => s.name);
  checkOutputs(info.outputs, request.outputs);
  return [...request.outputs];
}
