import onnxProto from 'onnx-proto';
import { type TensorSpec, toTensorProto } from './onnx-tensor-proto.js';

const { AttributeType } = onnxProto.onnx.AttributeProto;

/** Forces FLOAT/FLOATS where a plain number would read as INT (e.g. Gemm alpha = 1). */
export interface FloatAttribute {
  float: number;
}
export interface FloatsAttribute {
  floats: readonly number[];
}
/** A tensor-valued attribute, e.g. Constant's `value`; its name may be left empty. */
export interface TensorAttribute {
  tensor: TensorSpec;
}

/**
 * Plain numbers become INT when they are integers and FLOAT otherwise; number arrays become INTS when
 * every entry is an integer (an empty array too) and FLOATS otherwise.
 */
export type AttributeValue =
  | number
  | readonly number[]
  | string
  | readonly string[]
  | FloatAttribute
  | FloatsAttribute
  | TensorAttribute;

export function asFloat(value: number): FloatAttribute {
  return { float: value };
}

export function asFloats(values: readonly number[]): FloatsAttribute {
  return { floats: values };
}

export function toAttributeProto(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: utf8(value) };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`attribute ${name}: ${value} is not a finite number`);
    return Number.isInteger(value)
      ? { name, type: AttributeType.INT, i: value }
      : { name, type: AttributeType.FLOAT, f: value };
  }
  if (isList(value)) return listAttribute(name, value);
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  return { name, type: AttributeType.TENSOR, t: toTensorProto(value.tensor) };
}

function listAttribute(name: string, values: readonly (number | string)[]): onnxProto.onnx.IAttributeProto {
  if (values.every((v) => typeof v === 'string')) {
    if (values.length > 0) return { name, type: AttributeType.STRINGS, strings: values.map(utf8) };
  }
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`attribute ${name}: a list must hold only strings or only finite numbers`);
  }
  const numbers = values as readonly number[];
  return numbers.every(Number.isInteger)
    ? { name, type: AttributeType.INTS, ints: [...numbers] }
    : { name, type: AttributeType.FLOATS, floats: [...numbers] };
}

function isList(value: AttributeValue): value is readonly number[] | readonly string[] {
  return Array.isArray(value);
}

function utf8(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}
