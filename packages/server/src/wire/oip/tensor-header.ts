import { type Datatype, datatypes } from '../tensor.js';
import { describeValue, isRecord, tensorError } from './codec-errors.js';

/** NumPy's limit; also bounds the recursion that flattens nested data. */
export const MAX_RANK = 64;
export const DEFAULT_MAX_TENSOR_ELEMENTS = 2 ** 31;

export interface TensorLimits {
  /** Largest element count (product of the shape) one tensor may declare. */
  maxTensorElements: number;
}

/** A tensor's JSON description, validated, before its data is decoded. */
export interface TensorHeader {
  name: string;
  datatype: Datatype;
  shape: number[];
  count: number;
  /** `parameters.binary_data_size`: the data is in the binary section. */
  binaryDataSize?: number;
  /** The JSON `data` member, when the data is not binary. */
  data?: unknown;
  /** How error messages name the tensor, e.g. `Input 'x'`. */
  label: string;
  /** Where the tensor sits in the JSON, e.g. `inputs[0]`. */
  param: string;
}

const datatypeSet: ReadonlySet<string> = new Set(datatypes);

export function isDatatype(value: unknown): value is Datatype {
  return typeof value === 'string' && datatypeSet.has(value);
}

/** Validates one entry of `inputs` / `outputs`: name, datatype, shape, parameters, data presence. */
export function readTensorHeader(
  raw: unknown,
  param: string,
  role: 'Input' | 'Output',
  limits: TensorLimits,
): TensorHeader {
  if (!isRecord(raw)) throw tensorError(`${param} must be an object, got ${describeValue(raw)}.`, param);
  const { name, datatype } = raw;
  if (typeof name !== 'string' || name === '')
    throw tensorError(
      `${param}.name must be a non-empty string, got ${describeValue(name)}.`,
      `${param}.name`,
    );
  const label = `${role} '${name}'`;
  if (!isDatatype(datatype))
    throw tensorError(
      `${label}: datatype ${describeValue(datatype)} is not one of ${datatypes.join(', ')}.`,
      `${param}.datatype`,
    );
  const shape = readShape(raw.shape, label, `${param}.shape`);
  const count = elementCount(shape, label, limits);
  const header: TensorHeader = { name, datatype, shape, count, label, param };
  const binaryDataSize = readBinaryDataSize(raw.parameters, label, `${param}.parameters`);
  if (binaryDataSize !== undefined) {
    if (raw.data !== undefined)
      throw tensorError(`${label} has both parameters.binary_data_size and data; send one.`, `${param}.data`);
    header.binaryDataSize = binaryDataSize;
  } else if (raw.data === undefined) {
    throw tensorError(`${label} has no data (and no parameters.binary_data_size).`, `${param}.data`);
  } else {
    header.data = raw.data;
  }
  return header;
}

function readShape(raw: unknown, label: string, param: string): number[] {
  if (!Array.isArray(raw))
    throw tensorError(`${label}: shape must be an array, got ${describeValue(raw)}.`, param);
  if (raw.length > MAX_RANK)
    throw tensorError(
      `${label}: shape has ${raw.length} dimensions; at most ${MAX_RANK} are allowed.`,
      param,
    );
  raw.forEach((dim: unknown, i) => {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0)
      throw tensorError(
        `${label}: shape[${i}] is ${describeValue(dim)}; dimensions must be non-negative integers.`,
        `${param}[${i}]`,
      );
  });
  return raw as number[];
}

function elementCount(shape: number[], label: string, limits: TensorLimits): number {
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const dim of shape) {
    count *= dim;
    if (count > limits.maxTensorElements)
      throw tensorError(
        `${label}: shape [${shape.join(',')}] has more than ${limits.maxTensorElements} elements.`,
      );
  }
  return count;
}

function readBinaryDataSize(parameters: unknown, label: string, param: string): number | undefined {
  if (parameters === undefined) return undefined;
  if (!isRecord(parameters))
    throw tensorError(`${label}: parameters must be an object, got ${describeValue(parameters)}.`, param);
  const size = parameters.binary_data_size;
  if (size === undefined) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw tensorError(
      `${label}: parameters.binary_data_size must be a non-negative integer, got ${describeValue(size)}.`,
      `${param}.binary_data_size`,
    );
  return size;
}
