import { describe, expect, it } from 'vitest';
import { parseInferResponse, renderInferResponse } from '../../src/wire/oip/index.js';
import type { Tensor } from '../../src/wire/tensor.js';
import { expectAppErrorSync } from '../support/expect-app-error.js';
import { jsonBody } from '../support/oip-samples.js';

describe('parseInferResponse', () => {
  it.each<[string, unknown, RegExp]>([
    ['no model_name', { outputs: [] }, /model_name must be a string, got nothing/],
    [
      'a numeric model_version',
      { model_name: 'm', model_version: 1, outputs: [] },
      /model_version must be a string/,
    ],
    ['a numeric id', { model_name: 'm', id: 1, outputs: [] }, /id must be a string, got 1/],
    ['no outputs', { model_name: 'm' }, /outputs must be an array/],
    [
      'an output whose data disagrees with its shape',
      { model_name: 'm', outputs: [{ name: 'o', datatype: 'FP32', shape: [2], data: [1] }] },
      /Output 'o': shape \[2\] needs 2 elements, data has 1/,
    ],
  ])('reports %s as a runner failure', (_, body, message) => {
    const err = expectAppErrorSync(
      () => parseInferResponse(jsonBody(body), undefined),
      'runner_failed',
      message,
    );
    expect(err.message).toMatch(/^Malformed inference response: /);
  });

  it('reports a truncated binary response as a runner failure', () => {
    const tensor: Tensor = { name: 'o', datatype: 'FP64', shape: [2], data: Float64Array.of(1, 2) };
    const rendered = renderInferResponse({ modelName: 'm', outputs: [tensor], binaryOutputs: 'all' });
    expectAppErrorSync(
      () => parseInferResponse(rendered.body.subarray(0, rendered.body.length - 1), rendered.headerLength),
      'runner_failed',
      /add up to 16 bytes but 15 bytes follow/,
    );
  });
});

describe('renderInferResponse', () => {
  it('writes the specification example response shape', () => {
    const output: Tensor = {
      name: 'output0',
      datatype: 'FP64',
      shape: [3, 2],
      data: Float64Array.of(1, 1.1, 2, 2.1, 3, 3.1),
    };
    const rendered = renderInferResponse({
      modelName: 'mymodel',
      id: '42',
      outputs: [output],
      binaryOutputs: 'none',
    });
    expect(rendered.body.toString()).toBe(
      '{"model_name":"mymodel","id":"42","outputs":[{"name":"output0","datatype":"FP64","shape":[3,2],"data":[1,1.1,2,2.1,3,3.1]}]}',
    );
  });

  it('puts only the chosen outputs in the binary section, with their sizes', () => {
    const a: Tensor = { name: 'a', datatype: 'INT16', shape: [2], data: Int16Array.of(1, -1) };
    const b: Tensor = { name: 'b', datatype: 'BYTES', shape: [1], data: [Uint8Array.of(0xff, 0x00)] };
    const rendered = renderInferResponse({ modelName: 'm', outputs: [a, b], binaryOutputs: new Set(['b']) });
    const json = rendered.body.toString('utf8', 0, rendered.headerLength);
    expect(json).toBe(
      '{"model_name":"m","outputs":[{"name":"a","datatype":"INT16","shape":[2],"data":[1,-1]},' +
        '{"name":"b","datatype":"BYTES","shape":[1],"parameters":{"binary_data_size":6}}]}',
    );
    expect([...rendered.body.subarray(rendered.headerLength)]).toEqual([2, 0, 0, 0, 0xff, 0x00]);
  });

  it('refuses BYTES that are not UTF-8 as JSON, pointing to binary_data', () => {
    const b: Tensor = { name: 'b', datatype: 'BYTES', shape: [1], data: [Uint8Array.of(0xff)] };
    expectAppErrorSync(
      () => renderInferResponse({ modelName: 'm', outputs: [b], binaryOutputs: 'none' }),
      'bad_request',
      /Output 'b': BYTES element 0 is not valid UTF-8.*binary_data=true/,
    );
  });

  it('refuses an output whose data disagrees with its shape', () => {
    const bad: Tensor = { name: 'o', datatype: 'FP32', shape: [3], data: new Float32Array(2) };
    expectAppErrorSync(
      () => renderInferResponse({ modelName: 'm', outputs: [bad], binaryOutputs: 'all' }),
      'internal_error',
      /Output 'o': shape \[3\] needs 3 elements, data has 2/,
    );
  });
});
