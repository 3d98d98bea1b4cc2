import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { readAlignedInferBody } from '../../src/api/oip/aligned-infer-body.js';
import { parseInferRequest } from '../../src/wire/oip/index.js';

/** A binary OIP body: a JSON header whose length is not a multiple of 8, then FP32 values. */
function binaryBody(values: number[]): { header: Buffer; body: Buffer } {
  const input = { name: 'x', datatype: 'FP32', shape: [values.length] };
  const json = JSON.stringify({
    inputs: [{ ...input, parameters: { binary_data_size: values.length * 4 } }],
  });
  const header = Buffer.from(json.length % 8 === 0 ? `${json} ` : json);
  return { header, body: Buffer.concat([header, Buffer.from(Float32Array.from(values).buffer)]) };
}

const requestWith = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest;

/** The body in chunks of 7 bytes, as a socket might deliver it. */
const chunked = (body: Buffer) =>
  Readable.from(
    Array.from({ length: Math.ceil(body.length / 7) }, (_, i) => body.subarray(i * 7, i * 7 + 7)),
  );

describe('readAlignedInferBody', () => {
  const values = [1.5, -2, 3.25, 4, 5, 6, 7, 8];
  const { header, body } = binaryBody(values);
  const headers = { 'inference-header-content-length': String(header.length) };

  for (const [label, extra] of [
    ['with a Content-Length', { 'content-length': String(body.length) }],
    ['chunked, without one', {}],
  ] as const) {
    it(`places the tensor section aligned, so tensors are views of the body (${label})`, async () => {
      expect(header.length % 8).not.toBe(0);
      const read = await readAlignedInferBody(requestWith({ ...headers, ...extra }), chunked(body), 1 << 20);
      expect(read.equals(body)).toBe(true);
      expect((read.byteOffset + header.length) % 8).toBe(0);
      const parsed = parseInferRequest(read, header.length);
      const x = parsed.inputs[0]?.data as Float32Array;
      expect(Array.from(x)).toEqual(values);
      // A view into the body's own memory: no aligned copy was made.
      expect(x.buffer).toBe(read.buffer);
    });
  }

  it('refuses a body past the limit with 413, by its Content-Length or as it streams', async () => {
    const small = body.length - 1;
    const declared = readAlignedInferBody(
      requestWith({ ...headers, 'content-length': String(body.length) }),
      chunked(body),
      small,
    );
    await expect(declared).rejects.toMatchObject({ code: 'payload_too_large', status: 413 });
    const streamed = readAlignedInferBody(requestWith(headers), chunked(body), small);
    await expect(streamed).rejects.toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('refuses a body that does not match its Content-Length with 400', async () => {
    const longer = { ...headers, 'content-length': String(body.length - 3) };
    await expect(readAlignedInferBody(requestWith(longer), chunked(body), 1 << 20)).rejects.toMatchObject({
      code: 'bad_request',
      status: 400,
    });
    const shorter = { ...headers, 'content-length': String(body.length + 3) };
    await expect(readAlignedInferBody(requestWith(shorter), chunked(body), 1 << 20)).rejects.toMatchObject({
      code: 'bad_request',
      status: 400,
    });
  });
});
