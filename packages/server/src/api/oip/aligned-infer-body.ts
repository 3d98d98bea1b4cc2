import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors/index.js';

/** Typed arrays need their element size as alignment; 8 serves every OIP datatype. */
const ALIGN = 8;

function declaredLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
}

/**
 * An infer body read into one buffer placed so that its binary tensor section (after the JSON
 * header of `Inference-Header-Content-Length` bytes) starts 8-byte aligned: the tensors are then
 * typed-array views of the body, with no copy of the received chunks into a whole and no aligned
 * copy of each tensor after. With a Content-Length the buffer is made once, up front; without one
 * (chunked), chunks are gathered and copied once at the end. Past `maxBytes` → 413.
 */
export function readAlignedInferBody(
  request: FastifyRequest,
  payload: NodeJS.ReadableStream,
  maxBytes: number,
): Promise<Buffer> {
  const headerLength = declaredLength(request.headers['inference-header-content-length'] as string) ?? 0;
  const pad = (ALIGN - (headerLength % ALIGN)) % ALIGN;
  const declared = declaredLength(request.headers['content-length']);
  if (declared !== undefined && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    // allocUnsafeSlow: a buffer of its own at offset 0, so `pad` decides the alignment.
    let target = declared === undefined ? undefined : Buffer.allocUnsafeSlow(pad + declared);
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (err: unknown) => {
      payload.removeListener('data', onData);
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      if (received + chunk.length > (declared ?? maxBytes)) {
        fail(
          declared === undefined
            ? tooLarge(maxBytes)
            : new AppError('bad_request', 'The request body is longer than its Content-Length.'),
        );
        return;
      }
      if (target) chunk.copy(target, pad + received);
      else chunks.push(chunk);
      received += chunk.length;
    };
    payload.on('data', onData);
    payload.once('error', fail);
    payload.once('end', () => {
      if (declared !== undefined && received !== declared) {
        reject(new AppError('bad_request', 'The request body is shorter than its Content-Length.'));
        return;
      }
      if (!target) {
        target = Buffer.allocUnsafeSlow(pad + received);
        let at = pad;
        for (const chunk of chunks) at += chunk.copy(target, at);
      }
      resolve(target.subarray(pad, pad + received));
    });
  });
}
