import type { Tensor } from '../tensor.js';
import { describeValue, fieldError, isRecord } from './codec-errors.js';
import { decodeTensors } from './decode-tensors.js';
import { readExactlyWhenRounded, readJsonHeader, type SplitBody } from './read-json-header.js';
import { DEFAULT_MAX_TENSOR_ELEMENTS, type TensorLimits } from './tensor-header.js';

export type ParameterValue = string | number | boolean;

export interface RequestedOutput {
  name: string;
  /** `parameters.binary_data`, else the request's `binary_data_output`. */
  binary: boolean;
}

export interface ParsedInferRequest {
  id?: string;
  parameters?: Record<string, ParameterValue>;
  inputs: Tensor[];
  /** Absent (or empty in the request) means every output, each in `binaryOutputDefault` form. */
  outputs?: RequestedOutput[];
  /** The request-level `parameters.binary_data_output` (false when absent). */
  binaryOutputDefault: boolean;
}

/**
 * Parses an OIP v2 inference request: plain JSON, or with `headerLength`
 * (`Inference-Header-Content-Length`) a JSON header followed by binary tensor data. A
 * `binarySection` that arrived apart (shared memory) stands for the bytes after the header.
 */
export function parseInferRequest(
  body: Buffer,
  headerLength: number | undefined,
  limits: Partial<TensorLimits> = {},
  binarySection?: Buffer,
): ParsedInferRequest {
  const split = readJsonHeader(body, headerLength, binarySection);
  return readExactlyWhenRounded(split, (read) => readRequest(read, limits));
}

function readRequest(split: SplitBody, limits: Partial<TensorLimits>): ParsedInferRequest {
  const root = split.json;
  if (!isRecord(root))
    throw fieldError(`The inference request must be a JSON object, got ${describeValue(root)}.`);
  if (root.id !== undefined && typeof root.id !== 'string')
    throw fieldError(`id must be a string, got ${describeValue(root.id)}.`, 'id');
  const parameters = readParameters(root.parameters, 'parameters');
  const binaryOutputDefault =
    readOptionalBoolean(parameters?.binary_data_output, 'parameters.binary_data_output') ?? false;
  const outputs = readRequestedOutputs(root.outputs, binaryOutputDefault);
  const { inputs } = root;
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw fieldError(`inputs must be a non-empty array, got ${describeValue(inputs)}.`, 'inputs');
  const tensorLimits = { maxTensorElements: limits.maxTensorElements ?? DEFAULT_MAX_TENSOR_ELEMENTS };
  return {
    ...(root.id === undefined ? {} : { id: root.id }),
    ...(parameters ? { parameters } : {}),
    inputs: decodeTensors(inputs, 'inputs', split, tensorLimits),
    ...(outputs ? { outputs } : {}),
    binaryOutputDefault,
  };
}

/** Reads a `parameters` object; the protocol allows only string, number and boolean values. */
export function readParameters(raw: unknown, param: string): Record<string, ParameterValue> | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) throw fieldError(`${param} must be an object, got ${describeValue(raw)}.`, param);
  const out: Record<string, ParameterValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'bigint') out[key] = Number(value);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[key] = value;
    else
      throw fieldError(
        `${param}.${key} must be a string, number or boolean, got ${describeValue(value)}.`,
        `${param}.${key}`,
      );
  }
  return out;
}

function readOptionalBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw fieldError(`${param} must be true or false, got ${describeValue(value)}.`, param);
}

function readRequestedOutputs(raw: unknown, binaryDefault: boolean): RequestedOutput[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw))
    throw fieldError(`outputs must be an array, got ${describeValue(raw)}.`, 'outputs');
  if (raw.length === 0) return undefined;
  const seen = new Set<string>();
  return raw.map((entry: unknown, i) => {
    const param = `outputs[${i}]`;
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '')
      throw fieldError(`${param} must be an object with a non-empty string name.`, param);
    if (seen.has(entry.name)) throw fieldError(`Output '${entry.name}' is requested more than once.`, param);
    seen.add(entry.name);
    const parameters = readParameters(entry.parameters, `${param}.parameters`);
    const binary = readOptionalBoolean(parameters?.binary_data, `${param}.parameters.binary_data`);
    return { name: entry.name, binary: binary ?? binaryDefault };
  });
}
