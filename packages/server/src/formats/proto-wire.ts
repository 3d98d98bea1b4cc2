import { AppError } from '../platform/errors/index.js';
import type { FileReader } from './file-reader.js';

/** Protobuf wire types; groups (3, 4) are deprecated and never used by ONNX. */
export const Wire = { Varint: 0, Fixed64: 1, Len: 2, Fixed32: 5 } as const;

export interface Tag {
  field: number;
  wireType: number;
}

const MAX_VARINT_BYTES = 10;

export function badProto(message: string): AppError {
  return new AppError('invalid_artifact', `Invalid ONNX protobuf: ${message}`);
}

export async function readVarint(r: FileReader): Promise<bigint> {
  const view = await r.peek(MAX_VARINT_BYTES);
  let value = 0n;
  for (let i = 0; i < view.length; i++) {
    const byte = view[i] ?? 0;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) {
      r.skip(i + 1);
      return value;
    }
  }
  if (view.length < MAX_VARINT_BYTES) throw badProto(`truncated varint at offset ${r.position}`);
  throw badProto(`varint longer than ${MAX_VARINT_BYTES} bytes at offset ${r.position}`);
}

async function readTag(r: FileReader): Promise<Tag> {
  const tag = await readVarint(r);
  const field = Number(tag >> 3n);
  const wireType = Number(tag & 7n);
  if (field === 0 || tag > 0xffffffffn) throw badProto(`bad field tag at offset ${r.position}`);
  if (
    wireType !== Wire.Varint &&
    wireType !== Wire.Fixed64 &&
    wireType !== Wire.Len &&
    wireType !== Wire.Fixed32
  ) {
    throw badProto(`unsupported wire type ${wireType} for field ${field}`);
  }
  return { field, wireType };
}

/** Reads a length prefix and returns where the payload ends, refusing one that overruns `end`. */
export async function readLengthEnd(r: FileReader, end: number): Promise<number> {
  const length = await readVarint(r);
  if (length > BigInt(end - r.position)) {
    throw badProto(`field of ${length} bytes at offset ${r.position} overruns its message`);
  }
  return r.position + Number(length);
}

async function skipField(r: FileReader, wireType: number, end: number): Promise<void> {
  if (wireType === Wire.Varint) {
    await readVarint(r);
    return;
  }
  const length = wireType === Wire.Fixed64 ? 8 : wireType === Wire.Fixed32 ? 4 : undefined;
  const fieldEnd = length === undefined ? await readLengthEnd(r, end) : r.position + length;
  if (fieldEnd > end) throw badProto(`field at offset ${r.position} overruns its message`);
  r.seek(fieldEnd);
}

/** Handles one field; return false to have it skipped. `end` is where a Len field's payload ends. */
export type FieldVisitor = (tag: Tag, end: number) => Promise<boolean>;

/**
 * Walks the fields of the message spanning [position, end). For a length-delimited field the visitor
 * gets the payload's end and must leave the reader there; everything it declines is skipped by seeking.
 */
export async function scanMessage(r: FileReader, end: number, visit: FieldVisitor): Promise<void> {
  while (r.position < end) {
    const tag = await readTag(r);
    const start = r.position;
    const fieldEnd = tag.wireType === Wire.Len ? await readLengthEnd(r, end) : end;
    const payloadStart = r.position;
    if (await visit(tag, fieldEnd)) {
      if (tag.wireType === Wire.Len && r.position !== fieldEnd) {
        throw badProto(`field ${tag.field} at offset ${payloadStart} was not consumed exactly`);
      }
      if (r.position > end) throw badProto(`field ${tag.field} overruns its message`);
      continue;
    }
    r.seek(start);
    await skipField(r, tag.wireType, end);
  }
  if (r.position !== end) throw badProto(`message overruns its bounds at offset ${r.position}`);
}

/** Reads a length-delimited payload (already positioned after the length) of at most `max` bytes. */
export async function readPayload(r: FileReader, end: number, max: number, what: string): Promise<Buffer> {
  const n = end - r.position;
  if (n > max) throw badProto(`${what} of ${n} bytes exceeds ${max}`);
  return r.readBytes(n, max);
}

export function expectWire(tag: Tag, wireType: number, what: string): void {
  if (tag.wireType !== wireType) throw badProto(`${what} (field ${tag.field}) has wire type ${tag.wireType}`);
}
