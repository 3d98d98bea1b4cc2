import { describe, expect, it } from 'vitest';
import { parseInferRequest, parseInferResponse } from '../../src/wire/oip/index.js';
import { expectAppErrorSync } from '../support/expect-app-error.js';

/** One input written as raw JSON text, so tokens JSON.parse would round stay as written. */
function body(datatype: string, shape: number[], dataJson: string, extra = ''): Buffer {
  return Buffer.from(
    `{"inputs":[{"name":"x","datatype":"${datatype}","shape":[${shape.join(',')}],"data":${dataJson}}${extra}]}`,
  );
}

const decode = (b: Buffer) => parseInferRequest(b, undefined).inputs;
const refused = (b: Buffer, message: RegExp) => {
  const err = expectAppErrorSync(() => decode(b), 'invalid_tensor', message);
  expect(err.status).toBe(400);
};

describe('JSON tensor data decoded straight into typed arrays', () => {
  it('reads data nested three deep as the flat row-major order', () => {
    const [x] = decode(body('FP32', [2, 2, 2], '[[[1,2],[3,4]],[[5,6],[7,8]]]'));
    expect(x?.data).toEqual(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8));
  });

  it('reads the proto3 strings for NaN and the infinities in FP16, FP32 and FP64', () => {
    for (const datatype of ['FP16', 'FP32', 'FP64']) {
      const [x] = decode(body(datatype, [3], '["NaN","Infinity","-Infinity"]'));
      const values = x?.datatype === 'FP16' ? [0x7e00, 0x7c00, 0xfc00] : [Number.NaN, Infinity, -Infinity];
      expect(Array.from(x?.data as ArrayLike<number>)).toEqual(values);
    }
  });

  it('keeps every digit of INT64/UINT64 values beyond 2^53, nested or flat, beside other tensors', () => {
    const text =
      '{"inputs":[{"name":"a","datatype":"INT64","shape":[2,2],"data":[[9007199254740993,-9223372036854775808],' +
      '[9223372036854775807,-9007199254740993]]},{"name":"b","datatype":"UINT64","shape":[2],' +
      '"data":[18446744073709551615,9007199254740993]},{"name":"c","datatype":"FP32","shape":[1],"data":[1.5]}]}';
    const [a, b, c] = decode(Buffer.from(text));
    expect(a?.data).toEqual(
      BigInt64Array.of(9007199254740993n, -9223372036854775808n, 9223372036854775807n, -9007199254740993n),
    );
    expect(b?.data).toEqual(BigUint64Array.of(18446744073709551615n, 9007199254740993n));
    expect(c?.data).toEqual(Float32Array.of(1.5));
  });

  it('keeps every digit of INT64 outputs in a runner response too', () => {
    const text =
      '{"model_name":"m","outputs":[{"name":"o","datatype":"INT64","shape":[1],"data":[1152921504606846977]}]}';
    expect(parseInferResponse(Buffer.from(text), undefined).outputs[0]?.data).toEqual(
      BigInt64Array.of(1152921504606846977n),
    );
  });
});

describe('JSON tensor data refused with invalid_tensor', () => {
  it.each<[string, Buffer, RegExp]>([
    [
      'a ragged row deep in the nesting',
      body('FP32', [2, 2, 2], '[[[1,2],[3,4]],[[5,6],[7]]]'),
      /Input 'x': data\[1\]\[1\] should be an array of 2 to match shape \[2,2,2\], got 1 elements/,
    ],
    [
      'a number where a row should be',
      body('FP32', [2, 2], '[[1,2],5]'),
      /Input 'x': data\[1\] should be an array of 2 .*got 5/,
    ],
    [
      'an array element in a later row',
      body('FP32', [2, 2], '[[1,2],[3,[4]]]'),
      /Input 'x': data\[1\] nests deeper than shape \[2,2\]/,
    ],
    [
      'an array element in flat data',
      body('FP32', [2], '[1,[2]]'),
      /Input 'x': element 1 \(an array\) is not a number/,
    ],
    [
      'a string in nested data, named by its flat index',
      body('FP32', [2, 2], '[[1,2],[3,"4"]]'),
      /Input 'x': element 3 \("4"\) is not a number/,
    ],
    ['lower-case "nan"', body('FP64', [1], '["nan"]'), /element 0 \("nan"\) is not a number/],
    ['null', body('FP32', [2], '[1,null]'), /element 1 \(null\) is not a number/],
    ['a boolean for FP16', body('FP16', [1], '[true]'), /element 0 \(true\) is not a number/],
    ['a lower-case datatype', body('fp32', [1], '[1]'), /datatype "fp32" is not one of/],
    [
      'more data than the shape',
      body('FP32', [1, 2], '[1,2,3]'),
      /shape \[1,2\] needs 2 elements, data has 3/,
    ],
    ['a fraction for INT64', body('INT64', [2], '[1,2.5]'), /element 1 \(2.5\) is not an integer \(INT64\)/],
    [
      'a huge float for UINT64',
      body('UINT64', [1], '[1.8446744073709552e19]'),
      /not an exact integer; write UINT64 values as plain integer digits/,
    ],
    [
      'a value past INT64 in nested data',
      body('INT64', [1, 2], '[[1,-9223372036854775809]]'),
      /element 1 \(-9223372036854775809\) is out of range for INT64/,
    ],
    [
      'a digit string past INT32 beside an INT64 beyond 2^53',
      body(
        'INT32',
        [1],
        '[9223372036854775808]',
        ',{"name":"y","datatype":"INT64","shape":[1],"data":[9007199254740993]}',
      ),
      /element 0 \(92233720368547\d+\) is out of range for INT32/,
    ],
  ])('%s', (_, b, message) => {
    refused(b, message);
  });
});
