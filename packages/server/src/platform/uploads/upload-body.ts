import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/index.js';

/** An upload as an unread stream: the raw body, or the `file` part of a multipart form. */
export interface UploadBody {
  stream: NodeJS.ReadableStream;
  /** Content-Length of a raw body; unknown for a multipart part. */
  expectedBytes: number | undefined;
  /** The multipart part's file name, when the client sent one. */
  fileName: string | undefined;
  /** The declared media type of the body or the part, without parameters. */
  mediaType: string | undefined;
}

/**
 * Makes the routes of the calling (encapsulated) plugin take any body as a stream, never buffered, or
 * multipart/form-data with one file. Upload routes get a plugin of their own for it: JSON routes
 * beside them would lose their parser.
 */
export async function acceptUploads(app: FastifyInstance): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  // The size limit is the upload's own (receiveUpload), so multipart's is lifted.
  await app.register(multipart, {
    limits: { files: 1, fields: 10, fieldSize: 1024 * 1024, parts: 20, fileSize: Number.MAX_SAFE_INTEGER },
  });
}

/**
 * Hands the upload to `receive`, once: the raw body, or the multipart `file` part. Other form fields
 * reach `onField` in order, before or after the file. Resolves to what `receive` resolved to.
 */
export async function readUploadBody<T>(
  request: FastifyRequest,
  receive: (body: UploadBody) => Promise<T>,
  onField: (name: string, value: unknown) => void = () => {},
): Promise<T> {
  if (!request.isMultipart()) {
    return receive({
      stream: request.body as Readable,
      expectedBytes: contentLength(request),
      fileName: undefined,
      mediaType: mediaTypeOf(request.headers['content-type']),
    });
  }
  let received: { value: T } | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      onField(part.fieldname, part.value);
      continue;
    }
    if (part.fieldname !== 'file')
      throw new AppError('validation_failed', 'The file goes in the `file` field.');
    const value = await receive({
      stream: part.file,
      expectedBytes: undefined,
      fileName: part.filename || undefined,
      mediaType: mediaTypeOf(part.mimetype),
    });
    received = { value };
  }
  if (!received) throw new AppError('validation_failed', 'The form has no `file` field.');
  return received.value;
}

function contentLength(request: FastifyRequest): number | undefined {
  const value = request.headers['content-length'];
  return value === undefined ? undefined : Number(value);
}

function mediaTypeOf(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}
