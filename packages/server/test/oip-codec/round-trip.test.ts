import { describe, expect, it } from 'vitest';
import {
  encodeInferRequest,
  parseInferRequest,
  parseInferResponse,
  renderInferResponse,
} from '../../src/wire/oip/index.js';
import type { Tensor } from '../../src/wire/tensor.js';
import { jsonRequest, samples } from '../support/oip-samples.js';

const tensors = samples.map((s) => s.tensor);

function renderJson(outputs: Tensor[]): string {
  const rendered = renderInferResponse({ modelName: 'm', outputs, binaryOutputs: 'none' });
  expect(rendered.contentType).toBe('application/json');
  expect(rendered.headerLength).toBeUndefined();
  return rendered.body.toString('utf8');
}

describe.each(samples)('$tensor.datatype', ({ tensor, flatJson, nestedJson }) => {
  it('parses flat JSON data', () => {
    const parsed = parseInferRequest(jsonRequest([{ tensor, dataJson: flatJson }]), undefined);
    expect(parsed.inputs).toEqual([tensor]);
  });

  it('parses nested JSON data to the same tensor', () => {
    const parsed = parseInferRequest(jsonRequest([{ tensor, dataJson: nestedJson }]), undefined);
    expect(parsed.inputs).toEqual([tensor]);
  });

  it('renders JSON data as exact flat text that parses back', () => {
    const text = renderJson([tensor]);
    expect(text).toContain(`"datatype":"${tensor.datatype}","shape":[2,2],"data":${flatJson}}`);
    expect(parseInferResponse(Buffer.from(text), undefined).outputs).toEqual([tensor]);
  });

  it('round-trips as a binary request', () => {
    const encoded = encodeInferRequest({ inputs: [tensor] }, { binary: true });
    const parsed = parseInferRequest(encoded.body, encoded.headerLength);
    expect(parsed.inputs).toEqual([tensor]);
    expect(parsed.binaryOutputDefault).toBe(true);
  });

  it('round-trips as a binary response', () => {
    const rendered = renderInferResponse({ modelName: 'm', outputs: [tensor], binaryOutputs: 'all' });
    expect(rendered.contentType).toBe('application/octet-stream');
    expect(parseInferResponse(rendered.body, rendered.headerLength).outputs).toEqual([tensor]);
  });
});

describe('all datatypes together', () => {
  it('round-trip in one binary request with ids and requested outputs', () => {
    const encoded = encodeInferRequest({ id: 'r1', inputs: tensors, outputs: ['a', 'b'] }, { binary: true });
    const parsed = parseInferRequest(encoded.body, encoded.headerLength);
    expect(parsed).toEqual({
      id: 'r1',
      parameters: { binary_data_output: true },
      inputs: tensors,
      outputs: [
        { name: 'a', binary: true },
        { name: 'b', binary: true },
      ],
      binaryOutputDefault: true,
    });
  });

  it('round-trip in one response mixing JSON and binary outputs', () => {
    const binary = new Set(tensors.filter((_, i) => i % 2 === 0).map((t) => t.name));
    const rendered = renderInferResponse({
      modelName: 'm',
      modelVersion: '3',
      id: 'x',
      parameters: { sequence_end: true },
      outputs: tensors,
      binaryOutputs: binary,
    });
    const header = JSON.parse(rendered.body.toString('utf8', 0, rendered.headerLength)) as {
      parameters: unknown;
      outputs: { name: string; data?: unknown; parameters?: { binary_data_size: number } }[];
    };
    expect(header.parameters).toEqual({ sequence_end: true });
    for (const output of header.outputs) expect(output.data === undefined).toBe(binary.has(output.name));
    expect(parseInferResponse(rendered.body, rendered.headerLength)).toEqual({
      modelName: 'm',
      modelVersion: '3',
      id: 'x',
      outputs: tensors,
    });
  });

  it('accept an unversioned JSON response without id', () => {
    const parsed = parseInferResponse(Buffer.from(renderJson(tensors)), undefined);
    expect(parsed).toEqual({ modelName: 'm', outputs: tensors });
  });
});

describe('64-bit integers in JSON', () => {
  const int64: Tensor = {
    name: 'big',
    datatype: 'INT64',
    shape: [3],
    data: BigInt64Array.of(9007199254740993n, -9223372036854775808n, 9223372036854775807n),
  };
  const uint64: Tensor = {
    name: 'ubig',
    datatype: 'UINT64',
    shape: [1],
    data: BigUint64Array.of(2n ** 64n - 1n),
  };

  it('keep every digit from request JSON to rendered JSON text', () => {
    const body = jsonRequest([
      { tensor: int64, dataJson: '[9007199254740993, -9223372036854775808, 9223372036854775807]' },
      { tensor: uint64, dataJson: '[18446744073709551615]' },
    ]);
    const parsed = parseInferRequest(body, undefined);
    const text = renderJson(parsed.inputs);
    expect(text).toBe(
      '{"model_name":"m","outputs":[' +
        '{"name":"big","datatype":"INT64","shape":[3],"data":[9007199254740993,-9223372036854775808,9223372036854775807]},' +
        '{"name":"ubig","datatype":"UINT64","shape":[1],"data":[18446744073709551615]}]}',
    );
  });

  it('keep every digit from response JSON', () => {
    const text = renderJson([int64, uint64]);
    expect(parseInferResponse(Buffer.from(text), undefined).outputs).toEqual([int64, uint64]);
  });

  it('read other fields of a re-read header exactly as JSON.parse does', () => {
    const body = jsonRequest(
      [{ tensor: int64, dataJson: '[9007199254740993, 0, 1.0]' }],
      '"id":"\\u00e9\\n","parameters":{"big":12345678901234567890,"s":"x"},',
    );
    const parsed = parseInferRequest(body, undefined);
    expect(parsed.id).toBe('é\n');
    expect(parsed.parameters).toEqual({ big: Number(12345678901234567890n), s: 'x' });
    expect(parsed.inputs[0]?.data).toEqual(BigInt64Array.of(9007199254740993n, 0n, 1n));
  });
});

describe('floats JSON cannot write', () => {
  it('render NaN, ±Infinity as strings and -0 as -0, and parse them back', () => {
    const values = Float32Array.of(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0);
    const tensor: Tensor = { name: 'f', datatype: 'FP32', shape: [4], data: values };
    const text = renderJson([tensor]);
    expect(text).toContain('"data":["NaN","Infinity","-Infinity",-0]');
    expect(parseInferResponse(Buffer.from(text), undefined).outputs).toEqual([tensor]);
  });

  it('apply to FP16 too', () => {
    const tensor: Tensor = {
      name: 'h',
      datatype: 'FP16',
      shape: [3],
      data: Uint16Array.of(0x7c00, 0xfc00, 0x8000),
    };
    const text = renderJson([tensor]);
    expect(text).toContain('"data":["Infinity","-Infinity",-0]');
    expect(parseInferResponse(Buffer.from(text), undefined).outputs).toEqual([tensor]);
  });
});
