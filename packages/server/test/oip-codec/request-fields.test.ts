import { describe, expect, it } from 'vitest';
import { parseInferRequest } from '../../src/wire/oip/index.js';
import { expectAppErrorSync } from '../support/expect-app-error.js';
import { binaryBody, jsonBody } from '../support/oip-samples.js';

/** The example request of the OIP v2 specification (docs/WIRE.md §4.1), verbatim. */
const specExample =
  '{"id":"42","inputs":[{"name":"input0","shape":[2,2],"datatype":"UINT32","data":[1,2,3,4]},' +
  '{"name":"input1","shape":[3],"datatype":"BOOL","data":[true]}],"outputs":[{"name":"output0"}]}';

describe('the specification example', () => {
  it('is refused: input1 declares 3 elements but carries 1', () => {
    const err = expectAppErrorSync(
      () => parseInferRequest(Buffer.from(specExample), undefined),
      'invalid_tensor',
      /Input 'input1': shape \[3\] needs 3 elements, data has 1/,
    );
    expect(err.status).toBe(400);
    expect(err.param).toBe('inputs[1].data');
  });

  it('parses once input1 carries its three elements', () => {
    const fixed = specExample.replace('"data":[true]', '"data":[true,false,true]');
    expect(parseInferRequest(Buffer.from(fixed), undefined)).toEqual({
      id: '42',
      inputs: [
        { name: 'input0', datatype: 'UINT32', shape: [2, 2], data: Uint32Array.of(1, 2, 3, 4) },
        { name: 'input1', datatype: 'BOOL', shape: [3], data: Uint8Array.of(1, 0, 1) },
      ],
      outputs: [{ name: 'output0', binary: false }],
      binaryOutputDefault: false,
    });
  });
});

describe('requested outputs', () => {
  const inputs = [{ name: 'x', datatype: 'INT8', shape: [1], data: [1] }];

  it('take binary_data per output, else the request-level binary_data_output', () => {
    const parsed = parseInferRequest(
      jsonBody({
        parameters: { binary_data_output: true, priority: 2, tag: 'a' },
        inputs,
        outputs: [{ name: 'a' }, { name: 'b', parameters: { binary_data: false } }],
      }),
      undefined,
    );
    expect(parsed.parameters).toEqual({ binary_data_output: true, priority: 2, tag: 'a' });
    expect(parsed.binaryOutputDefault).toBe(true);
    expect(parsed.outputs).toEqual([
      { name: 'a', binary: true },
      { name: 'b', binary: false },
    ]);
  });

  it('default to every output, as JSON, when absent or empty', () => {
    for (const extra of [{}, { outputs: [] }]) {
      const parsed = parseInferRequest(jsonBody({ inputs, ...extra }), undefined);
      expect(parsed.outputs).toBeUndefined();
      expect(parsed.binaryOutputDefault).toBe(false);
      expect(parsed).not.toHaveProperty('id');
      expect(parsed).not.toHaveProperty('parameters');
    }
  });

  it('refuse a non-boolean binary_data', () => {
    expectAppErrorSync(
      () =>
        parseInferRequest(
          jsonBody({ inputs, outputs: [{ name: 'a', parameters: { binary_data: 'yes' } }] }),
          undefined,
        ),
      'validation_failed',
      /outputs\[0\]\.parameters\.binary_data must be true or false, got "yes"/,
    );
  });
});

describe('mixed JSON and binary inputs', () => {
  it('take binary data in input order, skipping JSON inputs', () => {
    const a = Float32Array.of(1, 2);
    const c = Int16Array.of(-3);
    const { body, headerLength } = binaryBody(
      {
        inputs: [
          { name: 'a', datatype: 'FP32', shape: [2], parameters: { binary_data_size: 8 } },
          { name: 'b', datatype: 'INT8', shape: [1], data: [7] },
          { name: 'c', datatype: 'INT16', shape: [1], parameters: { binary_data_size: 2 } },
        ],
      },
      new Uint8Array(a.buffer),
      new Uint8Array(c.buffer),
    );
    expect(parseInferRequest(body, headerLength).inputs).toEqual([
      { name: 'a', datatype: 'FP32', shape: [2], data: a },
      { name: 'b', datatype: 'INT8', shape: [1], data: Int8Array.of(7) },
      { name: 'c', datatype: 'INT16', shape: [1], data: c },
    ]);
  });

  it('accept a header length equal to the body length (no binary section)', () => {
    const body = jsonBody({ inputs: [{ name: 'b', datatype: 'INT8', shape: [1], data: [7] }] });
    expect(parseInferRequest(body, body.length).inputs).toHaveLength(1);
  });

  it('accept zero-element and scalar tensors', () => {
    const body = jsonBody({
      inputs: [
        { name: 'empty', datatype: 'FP32', shape: [2, 0], data: [[], []] },
        { name: 'flatEmpty', datatype: 'FP32', shape: [0, 3], data: [] },
        { name: 'scalar', datatype: 'INT32', shape: [], data: [5] },
      ],
    });
    const inputs = parseInferRequest(body, undefined).inputs;
    expect(inputs.map((t) => t.data.length)).toEqual([0, 0, 1]);
    expect(inputs[2]?.data).toEqual(Int32Array.of(5));
  });

  it('honour a lower element limit', () => {
    const body = jsonBody({
      inputs: [{ name: 'x', datatype: 'INT8', shape: [4, 4], data: new Array(16).fill(0) }],
    });
    expectAppErrorSync(
      () => parseInferRequest(body, undefined, { maxTensorElements: 10 }),
      'invalid_tensor',
      /Input 'x': shape \[4,4\] has more than 10 elements/,
    );
  });
});
