import type { Datatype, TensorData } from '../tensor.js';
import { describeValue, tensorError } from './codec-errors.js';
import { floatToHalf } from './float-to-half.js';
import { type JsonDataPlace, nestsDeeperError } from './json-data-rows.js';

type SmallIntDatatype = 'UINT8' | 'UINT16' | 'UINT32' | 'INT8' | 'INT16' | 'INT32';
type SmallIntArray = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array;

const smallInts: Record<SmallIntDatatype, { min: number; max: number; make: (n: number) => SmallIntArray }> =
  {
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

const utf8 = new TextEncoder();

/**
 * Thrown when INT64/UINT64 data holds an integer `JSON.parse` rounded (beyond 2^53) and the text
 * was not read exactly: the caller reads it again with the lossless parser. Not an AppError.
 */
export class RoundedIntegerFound extends Error {}

/** How the JSON data was read, and where it sits (for error messages). */
export interface JsonDataSource extends JsonDataPlace {
  /** Whether the rows came from the lossless parser (integers beyond 2^53 are `bigint`). */
  exact: boolean;
  /** Whether the data was nested along the shape (an array element then nests too deep). */
  nested: boolean;
}

/**
 * Converts the rows of JSON tensor data (see `jsonDataRows`) straight into the datatype's storage
 * in one typed loop per row, refusing any value it cannot hold exactly with `invalid_tensor`.
 */
export function jsonToTensorData(
  datatype: Datatype,
  rows: readonly unknown[][],
  count: number,
  source: JsonDataSource,
): TensorData {
  const fail: Fail = (i, problem) => {
    const value = elementAt(rows, i);
    if (source.nested && Array.isArray(value)) return nestsDeeperError(i, source);
    return tensorError(`${source.label}: element ${i} (${describeValue(value)}) ${problem}.`);
  };
  switch (datatype) {
    case 'BOOL':
      return toBools(rows, count, fail);
    case 'INT64':
    case 'UINT64':
      return toBigInts(datatype, rows, count, source.exact, fail);
    case 'FP16':
      return toHalves(rows, count, fail);
    case 'FP32':
      return toFloats(new Float32Array(count), rows, fail);
    case 'FP64':
      return toFloats(new Float64Array(count), rows, fail);
    case 'BYTES':
      return toByteStrings(rows, count, fail);
    default:
      return toSmallInts(datatype, rows, count, fail);
  }
}

type Fail = (i: number, problem: string) => Error;

function elementAt(rows: readonly unknown[][], index: number): unknown {
  let i = index;
  for (const row of rows) {
    if (i < row.length) return row[i];
    i -= row.length;
  }
  return undefined;
}

function toFloats<T extends Float32Array | Float64Array>(out: T, rows: readonly unknown[][], fail: Fail): T {
  let offset = 0;
  for (const row of rows) {
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      out[offset + j] = typeof v === 'number' ? v : otherFloat(v, offset + j, fail);
    }
    offset += row.length;
  }
  return out;
}

function toHalves(rows: readonly unknown[][], count: number, fail: Fail): Uint16Array {
  const out = new Uint16Array(count);
  let offset = 0;
  for (const row of rows) {
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      out[offset + j] = floatToHalf(typeof v === 'number' ? v : otherFloat(v, offset + j, fail));
    }
    offset += row.length;
  }
  return out;
}

/** JSON cannot write these, so floats travel as these strings (the proto3 JSON convention). */
function otherFloat(v: unknown, i: number, fail: Fail): number {
  if (typeof v === 'bigint') return Number(v);
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw fail(i, 'is not a number');
}

function toSmallInts(datatype: SmallIntDatatype, rows: readonly unknown[][], count: number, fail: Fail) {
  const { min, max, make } = smallInts[datatype];
  const out = make(count);
  let offset = 0;
  for (const row of rows) {
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) out[offset + j] = v;
      else if (typeof v === 'number' && Number.isInteger(v)) throw outOfRange(fail, offset + j, datatype);
      else if (typeof v === 'bigint') throw outOfRange(fail, offset + j, datatype);
      else throw fail(offset + j, `is not an integer (${datatype})`);
    }
    offset += row.length;
  }
  return out;
}

function outOfRange(fail: Fail, i: number, datatype: SmallIntDatatype | 'INT64' | 'UINT64'): Error {
  const { min, max } =
    datatype === 'INT64' || datatype === 'UINT64' ? bigRanges[datatype] : smallInts[datatype];
  return fail(i, `is out of range for ${datatype} [${min}, ${max}]`);
}

function toBools(rows: readonly unknown[][], count: number, fail: Fail): Uint8Array {
  const out = new Uint8Array(count);
  let offset = 0;
  for (const row of rows) {
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      if (typeof v !== 'boolean') throw fail(offset + j, 'is not true or false');
      out[offset + j] = v ? 1 : 0;
    }
    offset += row.length;
  }
  return out;
}

function toBigInts(
  datatype: 'INT64' | 'UINT64',
  rows: readonly unknown[][],
  count: number,
  exact: boolean,
  fail: Fail,
): BigInt64Array | BigUint64Array {
  const { min, max } = bigRanges[datatype];
  const out = datatype === 'INT64' ? new BigInt64Array(count) : new BigUint64Array(count);
  let offset = 0;
  for (const row of rows) {
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      let big: bigint;
      if (typeof v === 'bigint') big = v;
      else if (typeof v === 'number' && Number.isSafeInteger(v)) big = BigInt(v);
      else if (typeof v === 'number' && Number.isInteger(v)) {
        if (!exact) throw new RoundedIntegerFound();
        throw fail(offset + j, `is not an exact integer; write ${datatype} values as plain integer digits`);
      } else throw fail(offset + j, `is not an integer (${datatype})`);
      if (big < min || big > max) throw outOfRange(fail, offset + j, datatype);
      out[offset + j] = big;
    }
    offset += row.length;
  }
  return out;
}

function toByteStrings(rows: readonly unknown[][], count: number, fail: Fail): Uint8Array[] {
  const out = new Array<Uint8Array>(count);
  let offset = 0;
  for (const row of rows) {
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      if (typeof v !== 'string') throw fail(offset + j, 'is not a string');
      out[offset + j] = utf8.encode(v);
    }
    offset += row.length;
  }
  return out;
}
