import { AppError } from '../../platform/errors/index.js';
import type { Tensor } from '../tensor.js';
import { describeValue, fieldError, isRecord } from './codec-errors.js';
import { decodeTensors } from './decode-tensors.js';
import { readExactlyWhenRounded, readJsonHeader, type SplitBody } from './read-json-header.js';
import { DEFAULT_MAX_TENSOR_ELEMENTS } from './tensor-header.js';

export interface ParsedInferResponse {
  modelName: string;
  modelVersion?: string;
  id?: string;
  outputs: Tensor[];
}

/**
 * Parses an OIP v2 inference response (JSON or binary outputs) with the same checks as requests.
 * A malformed response is the runner's fault, so it surfaces as `runner_failed`.
 */
export function parseInferResponse(body: Buffer, headerLength: number | undefined): ParsedInferResponse {
  try {
    return readResponse(body, headerLength);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw new AppError('runner_failed', `Malformed inference response: ${err.message}`, { cause: err });
  }
}

function readResponse(body: Buffer, headerLength: number | undefined): ParsedInferResponse {
  return readExactlyWhenRounded(readJsonHeader(body, headerLength), readOutputs);
}

function readOutputs(split: SplitBody): ParsedInferResponse {
  const root = split.json;
  if (!isRecord(root)) throw fieldError(`The response must be a JSON object, got ${describeValue(root)}.`);
  const { model_name: modelName, model_version: modelVersion, id, outputs } = root;
  if (typeof modelName !== 'string')
    throw fieldError(`model_name must be a string, got ${describeValue(modelName)}.`);
  if (modelVersion !== undefined && typeof modelVersion !== 'string')
    throw fieldError(`model_version must be a string, got ${describeValue(modelVersion)}.`);
  if (id !== undefined && typeof id !== 'string')
    throw fieldError(`id must be a string, got ${describeValue(id)}.`);
  if (!Array.isArray(outputs)) throw fieldError(`outputs must be an array, got ${describeValue(outputs)}.`);
  const limits = { maxTensorElements: DEFAULT_MAX_TENSOR_ELEMENTS };
  return {
    modelName,
    ...(modelVersion === undefined ? {} : { modelVersion }),
    ...(id === undefined ? {} : { id }),
    outputs: decodeTensors(outputs, 'outputs', split, limits),
  };
}
