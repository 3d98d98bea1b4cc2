import type { ErrorCode } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { parseInferRequest } from '../../src/wire/oip/index.js';
import { expectAppErrorSync } from '../support/expect-app-error.js';
import { jsonBody } from '../support/oip-samples.js';

function refused(body: Buffer, headerLength: number | undefined, code: ErrorCode, message: RegExp) {
  const err = expectAppErrorSync(() => parseInferRequest(body, headerLength), code, message);
  expect(err.status).toBe(400);
}

function input(datatype: string, shape: unknown[], data: unknown, name = 'x') {
  return jsonBody({ inputs: [{ name, datatype, shape, data }] });
}

describe('JSON requests the codec refuses with 400', () => {
  it.each<[string, Buffer, ErrorCode, RegExp]>([
    [
      'shape/data count mismatch',
      input('FP32', [2, 2], [1, 2, 3]),
      'invalid_tensor',
      /Input 'x': shape \[2,2\] needs 4 elements, data has 3/,
    ],
    [
      'nesting that disagrees with the shape',
      input('FP32', [2, 2], [[1, 2], [3]]),
      'invalid_tensor',
      /Input 'x': data\[1\] should be an array of 2.*got 1 elements/,
    ],
    [
      'nesting deeper than the shape',
      input('FP32', [1, 2], [[[1], [2]]]),
      'invalid_tensor',
      /nests deeper than shape \[1,2\]/,
    ],
    [
      'an unknown datatype',
      input('FLOAT32', [1], [1]),
      'invalid_tensor',
      /Input 'x': datatype "FLOAT32" is not one of BOOL, UINT8/,
    ],
    [
      'a negative dimension',
      input('FP32', [2, -1], [1, 2]),
      'invalid_tensor',
      /Input 'x': shape\[1\] is -1; dimensions must be non-negative integers/,
    ],
    ['a fractional dimension', input('FP32', [1.5], [1]), 'invalid_tensor', /Input 'x': shape\[0\] is 1.5/],
    ['a string dimension', input('FP32', ['2'], [1, 2]), 'invalid_tensor', /Input 'x': shape\[0\] is "2"/],
    [
      'more elements than the limit',
      input('UINT8', [65536, 65536], []),
      'invalid_tensor',
      /has more than 2147483648 elements/,
    ],
    [
      '"NaN" for an integer',
      input('INT32', [2], [1, 'NaN']),
      'invalid_tensor',
      /Input 'x': element 1 \("NaN"\) is not an integer \(INT32\)/,
    ],
    [
      'a fraction for an integer',
      input('INT16', [2], [1.5, 2]),
      'invalid_tensor',
      /Input 'x': element 0 \(1.5\) is not an integer \(INT16\)/,
    ],
    [
      '256 for UINT8',
      input('UINT8', [2], [0, 256]),
      'invalid_tensor',
      /element 1 \(256\) is out of range for UINT8 \[0, 255\]/,
    ],
    [
      '-1 for UINT8',
      input('UINT8', [1], [-1]),
      'invalid_tensor',
      /element 0 \(-1\) is out of range for UINT8/,
    ],
    [
      '128 for INT8',
      input('INT8', [1], [128]),
      'invalid_tensor',
      /element 0 \(128\) is out of range for INT8 \[-128, 127\]/,
    ],
    [
      '-129 for INT8',
      input('INT8', [1], [-129]),
      'invalid_tensor',
      /element 0 \(-129\) is out of range for INT8/,
    ],
    ['1 for BOOL', input('BOOL', [1], [1]), 'invalid_tensor', /element 0 \(1\) is not true or false/],
    ['a number for BYTES', input('BYTES', [1], [1]), 'invalid_tensor', /element 0 \(1\) is not a string/],
    [
      'a string for FP32',
      input('FP32', [1], ['1.5']),
      'invalid_tensor',
      /element 0 \("1.5"\) is not a number/,
    ],
    [
      'data that is not an array',
      input('FP32', [1], 1),
      'invalid_tensor',
      /Input 'x': data must be an array, got 1/,
    ],
    [
      'duplicate input names',
      jsonBody({
        inputs: [
          { name: 'a', datatype: 'INT8', shape: [1], data: [1] },
          { name: 'a', datatype: 'INT8', shape: [1], data: [1] },
        ],
      }),
      'invalid_tensor',
      /Input 'a' appears more than once/,
    ],
    [
      'an input without a name',
      jsonBody({ inputs: [{ datatype: 'INT8', shape: [1], data: [1] }] }),
      'invalid_tensor',
      /inputs\[0\]\.name must be a non-empty string/,
    ],
    [
      'an input without data',
      jsonBody({ inputs: [{ name: 'a', datatype: 'INT8', shape: [1] }] }),
      'invalid_tensor',
      /Input 'a' has no data/,
    ],
    [
      'missing inputs',
      jsonBody({ id: '1' }),
      'validation_failed',
      /inputs must be a non-empty array, got nothing/,
    ],
    ['empty inputs', jsonBody({ inputs: [] }), 'validation_failed', /inputs must be a non-empty array/],
    ['a numeric id', jsonBody({ id: 42, inputs: [] }), 'validation_failed', /id must be a string, got 42/],
    [
      'an object parameter',
      jsonBody({ parameters: { a: {} }, inputs: [] }),
      'validation_failed',
      /parameters\.a must be a string, number or boolean/,
    ],
    [
      'a non-boolean binary_data_output',
      jsonBody({ parameters: { binary_data_output: 1 }, inputs: [] }),
      'validation_failed',
      /binary_data_output must be true or false/,
    ],
    [
      'a duplicate requested output',
      jsonBody({ inputs: [], outputs: [{ name: 'o' }, { name: 'o' }] }),
      'validation_failed',
      /Output 'o' is requested more than once/,
    ],
    [
      'a body that is not an object',
      jsonBody([1]),
      'validation_failed',
      /must be a JSON object, got an array/,
    ],
    ['invalid JSON', Buffer.from('{"inputs": ['), 'invalid_json', /not valid JSON/],
  ])('%s', (_, body, code, message) => {
    refused(body, undefined, code, message);
  });
});

describe('64-bit integers out of range', () => {
  it.each<[string, string, RegExp]>([
    [
      'INT64',
      '9223372036854775808',
      /element 0 \(9223372036854775808\) is out of range for INT64 \[-9223372036854775808, 9223372036854775807\]/,
    ],
    ['INT64', '-9223372036854775809', /is out of range for INT64/],
    ['UINT64', '18446744073709551616', /element 0 \(18446744073709551616\) is out of range for UINT64/],
    ['UINT64', '-1', /element 0 \(-1\) is out of range for UINT64/],
    ['INT64', '1e19', /is not an exact integer; write INT64 values as plain integer digits/],
    ['INT64', '0.5', /element 0 \(0.5\) is not an integer \(INT64\)/],
    ['UINT64', '"1"', /is not an integer \(UINT64\)/],
  ])('%s %s', (datatype, token, message) => {
    const body = Buffer.from(
      `{"inputs":[{"name":"x","datatype":"${datatype}","shape":[1],"data":[${token}]}]}`,
    );
    refused(body, undefined, 'invalid_tensor', message);
  });
});
