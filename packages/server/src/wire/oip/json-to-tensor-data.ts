import type { Datatype, TensorData } from '../tensor.js';
import { describeValue, tensorError } from './codec-errors.js';
import { floatToHalf } from './float-to-half.js';

type SmallIntDatatype = 'UINT8' | 'UINT16' | 'UINT32' | 'INT8' | 'INT16' | 'INT32';

const smallInts: Record<SmallIntDatatype, { min: number; max: number; make: (n: number) => TensorData }> = {
  UINT8: { min: 0, max: 0xff, make: (n) => new Uint8Array(n) },
  UINT16: { min: 0, max: 0xffff, make: (n) => new Uint16Array(n) },
  UINT32: { min: 0, max: 0xffffffff, make: (n) => new Uint32Array(n) },
  INT8: { min: -0x80, max: 0x7f, make: (n) => new Int8Array(n) },
  INT16: { min: -0x8000, max: 0x7fff, make: (n) => new Int16Array(n) },
  INT32: { min: -0x80000000, max: 0x7fffffff, make: (n) => new Int32Array(n) },
};

const bigRanges = {
  INT64: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
  UINT64: { min: 0n, max: 2n ** 64n - 1n },
};

/** JSON cannot write these, so floats travel as these strings (the proto3 JSON convention). */
const specialFloats: ReadonlyMap<unknown, number> = new Map([
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
]);

const utf8 = new TextEncoder();

/** Converts flat JSON elements to the datatype's storage, refusing any value it cannot hold exactly. */
export function jsonToTensorData(datatype: Datatype, items: readonly unknown[], label: string): TensorData {
  const fail = (i: number, problem: string) =>
    tensorError(`${label}: element ${i} (${describeValue(items[i])}) ${problem}.`);
  switch (datatype) {
    case 'BOOL':
      return Uint8Array.from(items, (v, i) => {
        if (typeof v !== 'boolean') throw fail(i, 'is not true or false');
        return v ? 1 : 0;
      });
    case 'INT64':
    case 'UINT64':
      return toBigInts(datatype, items, fail);
    case 'FP16':
      return Uint16Array.from(items, (v, i) => floatToHalf(toFloat(v, () => fail(i, 'is not a number'))));
    case 'FP32':
      return Float32Array.from(items, (v, i) => toFloat(v, () => fail(i, 'is not a number')));
    case 'FP64':
      return Float64Array.from(items, (v, i) => toFloat(v, () => fail(i, 'is not a number')));
    case 'BYTES':
      return items.map((v, i) => {
        if (typeof v !== 'string') throw fail(i, 'is not a string');
        return utf8.encode(v);
      });
    default:
      return toSmallInts(datatype, items, fail);
  }
}

type Fail = (i: number, problem: string) => Error;

function toSmallInts(datatype: SmallIntDatatype, items: readonly unknown[], fail: Fail): TensorData {
  const { min, max, make } = smallInts[datatype];
  const out = make(items.length) as Exclude<TensorData, Uint8Array[] | BigInt64Array | BigUint64Array>;
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (typeof v === 'bigint') throw fail(i, `is out of range for ${datatype} [${min}, ${max}]`);
    if (typeof v !== 'number' || !Number.isInteger(v)) throw fail(i, `is not an integer (${datatype})`);
    if (v < min || v > max) throw fail(i, `is out of range for ${datatype} [${min}, ${max}]`);
    out[i] = v;
  }
  return out;
}

function toBigInts(datatype: 'INT64' | 'UINT64', items: readonly unknown[], fail: Fail): TensorData {
  const { min, max } = bigRanges[datatype];
  const out = datatype === 'INT64' ? new BigInt64Array(items.length) : new BigUint64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    let big: bigint;
    if (typeof v === 'bigint') big = v;
    else if (typeof v === 'number' && Number.isSafeInteger(v)) big = BigInt(v);
    else if (typeof v === 'number' && Number.isInteger(v))
      throw fail(i, `is not an exact integer; write ${datatype} values as plain integer digits`);
    else throw fail(i, `is not an integer (${datatype})`);
    if (big < min || big > max) throw fail(i, `is out of range for ${datatype} [${min}, ${max}]`);
    out[i] = big;
  }
  return out;
}

function toFloat(v: unknown, fail: () => Error): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const special = specialFloats.get(v);
  if (special === undefined) throw fail();
  return special;
}
