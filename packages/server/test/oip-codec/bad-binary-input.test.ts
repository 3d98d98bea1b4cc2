import type { ErrorCode } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { parseInferRequest } from '../../src/wire/oip/index.js';
import { expectAppErrorSync } from '../support/expect-app-error.js';
import { binaryBody, jsonBody } from '../support/oip-samples.js';

function refused(body: Buffer, headerLength: number | undefined, code: ErrorCode, message: RegExp) {
  const err = expectAppErrorSync(() => parseInferRequest(body, headerLength), code, message);
  expect(err.status).toBe(400);
}

describe('binary requests the codec refuses with 400', () => {
  const fp32 = (size: number, name = 'x') => ({
    name,
    datatype: 'FP32',
    shape: [2],
    parameters: { binary_data_size: size },
  });

  it('a header length past the end of the body', () => {
    const { body } = binaryBody({ inputs: [fp32(8)] }, new Uint8Array(8));
    refused(
      body,
      body.length + 1,
      'invalid_binary_body',
      new RegExp(
        `Inference-Header-Content-Length ${body.length + 1} exceeds the body length ${body.length} bytes`,
      ),
    );
  });

  it('a header length that is not a number', () => {
    refused(
      Buffer.from('{}'),
      Number('abc'),
      'invalid_binary_body',
      /must be a non-negative integer, got NaN/,
    );
  });

  it('binary_data_size values that do not add up to the bytes after the header', () => {
    const { body, headerLength } = binaryBody({ inputs: [fp32(8), fp32(8, 'y')] }, new Uint8Array(12));
    refused(
      body,
      headerLength,
      'invalid_binary_body',
      /binary_data_size values add up to 16 bytes but 12 bytes follow/,
    );
  });

  it('a binary_data_size that does not match shape × datatype size', () => {
    const { body, headerLength } = binaryBody({ inputs: [fp32(6)] }, new Uint8Array(6));
    refused(
      body,
      headerLength,
      'invalid_binary_body',
      /Input 'x': binary_data_size is 6 but shape \[2\] × FP32 \(4 bytes\) needs 8/,
    );
  });

  it('BYTES length prefixes running past the end', () => {
    const data = Buffer.from([3, 0, 0, 0, 0x61, 0x62, 0x63, 9, 0, 0, 0, 0x64]);
    const { body, headerLength } = binaryBody(
      {
        inputs: [{ name: 's', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: data.length } }],
      },
      data,
    );
    refused(
      body,
      headerLength,
      'invalid_binary_body',
      /Input 's': BYTES element 1 claims 9 bytes at byte 11, past the end of its 12 bytes/,
    );
  });

  it('BYTES with a truncated length prefix', () => {
    const data = Buffer.from([1, 0, 0, 0, 0x61, 2, 0]);
    const header = {
      inputs: [{ name: 's', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: 7 } }],
    };
    const { body, headerLength } = binaryBody(header, data);
    refused(
      body,
      headerLength,
      'invalid_binary_body',
      /BYTES element 1 has a truncated length prefix at byte 5 of 7/,
    );
  });

  it('BYTES whose element count disagrees with the shape', () => {
    const data = Buffer.from([1, 0, 0, 0, 0x61]);
    const header = {
      inputs: [{ name: 's', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: 5 } }],
    };
    const { body, headerLength } = binaryBody(header, data);
    refused(body, headerLength, 'invalid_binary_body', /shape needs 2 BYTES elements, binary data has 1/);
  });

  it('BYTES with bytes left after the last element', () => {
    const data = Buffer.from([1, 0, 0, 0, 0x61, 0]);
    const header = {
      inputs: [{ name: 's', datatype: 'BYTES', shape: [1], parameters: { binary_data_size: 6 } }],
    };
    const { body, headerLength } = binaryBody(header, data);
    refused(body, headerLength, 'invalid_binary_body', /1 bytes are left after its 1 BYTES elements/);
  });

  it('binary_data_size together with data', () => {
    const { body, headerLength } = binaryBody({ inputs: [{ ...fp32(8), data: [1, 2] }] }, new Uint8Array(8));
    refused(body, headerLength, 'invalid_tensor', /Input 'x' has both parameters.binary_data_size and data/);
  });

  it('binary_data_size without the header-length header', () => {
    refused(
      jsonBody({ inputs: [fp32(8)] }),
      undefined,
      'invalid_binary_body',
      /Inference-Header-Content-Length header is missing/,
    );
  });

  it('a negative binary_data_size', () => {
    const { body, headerLength } = binaryBody({ inputs: [fp32(-8)] });
    refused(body, headerLength, 'invalid_tensor', /binary_data_size must be a non-negative integer, got -8/);
  });

  it('BOOL bytes other than 0 and 1', () => {
    const header = {
      inputs: [{ name: 'b', datatype: 'BOOL', shape: [2], parameters: { binary_data_size: 2 } }],
    };
    const { body, headerLength } = binaryBody(header, Uint8Array.of(1, 2));
    refused(
      body,
      headerLength,
      'invalid_tensor',
      /Input 'b': BOOL element 1 is byte 2; only 0 and 1 are allowed/,
    );
  });

  it('trailing bytes when no input is binary', () => {
    const { body, headerLength } = binaryBody(
      { inputs: [{ name: 'x', datatype: 'INT8', shape: [1], data: [1] }] },
      Uint8Array.of(0),
    );
    refused(body, headerLength, 'invalid_binary_body', /add up to 0 bytes but 1 bytes follow/);
  });
});
