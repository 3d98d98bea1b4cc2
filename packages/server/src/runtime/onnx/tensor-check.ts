import { AppError } from '../../platform/errors/index.js';
import type { Tensor, TensorSpec } from '../../wire/index.js';
import { arrayKind, hasStorageOf } from './typed-arrays.js';

const fmt = (shape: readonly number[]) => `[${shape.join(',')}]`;

function invalid(name: string, message: string, got: Pick<Tensor, 'datatype' | 'shape'>, spec?: TensorSpec) {
  const details = {
    input: name,
    got: { datatype: got.datatype, shape: got.shape },
    ...(spec ? { expected: { datatype: spec.datatype, shape: spec.shape } } : {}),
  };
  return new AppError('invalid_tensor', message, { param: name, details });
}

/** Element count of a concrete shape, or undefined when a dimension is not a non-negative integer. */
export function elementCount(shape: readonly number[]): number | undefined {
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) return undefined;
    count *= d;
  }
  return Number.isSafeInteger(count) ? count : undefined;
}

/** Datatype, rank and fixed dimensions against the declaration; -1 accepts any size. */
function checkAgainstSpec(tensor: Tensor, spec: TensorSpec): void {
  const { name, datatype, shape } = tensor;
  if (datatype !== spec.datatype) {
    throw invalid(name, `input ${name} is ${spec.datatype}, got ${datatype}`, tensor, spec);
  }
  if (shape.length !== spec.shape.length) {
    throw invalid(
      name,
      `input ${name} has rank ${spec.shape.length} (shape ${fmt(spec.shape)}), got shape ${fmt(shape)}`,
      tensor,
      spec,
    );
  }
  const axis = spec.shape.findIndex((d, i) => d !== -1 && d !== shape[i]);
  if (axis !== -1) {
    throw invalid(
      name,
      `input ${name} dimension ${axis} must be ${spec.shape[axis]} (shape ${fmt(spec.shape)}), got shape ${fmt(shape)}`,
      tensor,
      spec,
    );
  }
}

/** The data must be stored as the datatype says and hold exactly one value per element. */
function checkData(tensor: Tensor): void {
  const { name, datatype, shape, data } = tensor;
  const count = elementCount(shape);
  if (count === undefined) {
    throw invalid(name, `input ${name} has an invalid shape ${fmt(shape)}`, tensor);
  }
  if (!hasStorageOf(datatype, data)) {
    throw invalid(name, `input ${name} is ${datatype} but its data is ${arrayKind(data)}`, tensor);
  }
  if (data.length !== count) {
    throw invalid(
      name,
      `input ${name} has shape ${fmt(shape)} (${count} elements) but ${data.length} values`,
      tensor,
    );
  }
  // A bool is a plain byte to onnxruntime; other values would give op-dependent results.
  if (datatype === 'BOOL' && (data as Uint8Array).some((v) => v > 1)) {
    throw invalid(name, `input ${name} is BOOL and may only hold 0 or 1`, tensor);
  }
}

/** Throws an `invalid_tensor` AppError (400) when `tensor` cannot be fed as the declared input. */
export function checkInputTensor(tensor: Tensor, spec: TensorSpec): void {
  checkAgainstSpec(tensor, spec);
  checkData(tensor);
}
