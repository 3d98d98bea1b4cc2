import { describe, expect, it } from 'vitest';
import {
  encodeInferRequest,
  parseInferRequest,
  parseInferResponse,
  renderInferResponse,
} from '../../src/wire/oip/index.js';
import type { Tensor } from '../../src/wire/tensor.js';

describe('large tensors', () => {
  it('render a 1×1000 FP32 output as JSON', () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => i / 7);
    const logits: Tensor = { name: 'logits', datatype: 'FP32', shape: [1, 1000], data };
    const rendered = renderInferResponse({ modelName: 'resnet', outputs: [logits], binaryOutputs: 'none' });
    expect(parseInferResponse(rendered.body, undefined).outputs[0]?.data).toEqual(data);
  });

  it('parse a 1×3×224×224 FP32 binary input', () => {
    const data = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => (i % 255) / 255);
    const image: Tensor = { name: 'image', datatype: 'FP32', shape: [1, 3, 224, 224], data };
    const encoded = encodeInferRequest({ inputs: [image] }, { binary: true });
    const parsed = parseInferRequest(encoded.body, encoded.headerLength);
    expect(parsed.inputs[0]?.shape).toEqual([1, 3, 224, 224]);
    expect(parsed.inputs[0]?.data).toEqual(data);
  });

  it('parse a 1×3×224×224 FP32 input given as nested JSON', () => {
    const rows = Array.from({ length: 3 }, () => Array.from({ length: 224 }, () => new Array(224).fill(0.5)));
    const body = Buffer.from(
      JSON.stringify({
        inputs: [{ name: 'image', datatype: 'FP32', shape: [1, 3, 224, 224], data: [rows] }],
      }),
    );
    const tensor = parseInferRequest(body, undefined).inputs[0];
    expect(tensor?.data.length).toBe(3 * 224 * 224);
  });
});
