/** ModelProto field number → expected wire type (0 varint, 2 length-delimited). */
const MODEL_FIELDS = new Map<number, number>([
  [1, 0], // ir_version
  [2, 2], // producer_name
  [3, 2], // producer_version
  [4, 2], // domain
  [5, 0], // model_version
  [6, 2], // doc_string
  [7, 2], // graph
  [8, 2], // opset_import
  [14, 2], // metadata_props
  [20, 2], // training_info
  [25, 2], // functions
  [26, 2], // configuration
]);
const STRING_FIELDS = new Set([2, 3, 4, 6]);
const FIELDS_TO_CHECK = 4;
const MAX_IR_VERSION = 1000n;

interface Varint {
  value: bigint;
  next: number;
}

function readVarint(buf: Buffer, start: number): Varint | 'incomplete' | 'invalid' {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    const byte = buf[start + i];
    if (byte === undefined) return 'incomplete';
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return { value, next: start + i + 1 };
  }
  return 'invalid';
}

/** `partial`: the bytes may end inside a character because the head cut the string short. */
function isUtf8(bytes: Buffer, partial: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: partial });
    return true;
  } catch {
    return false;
  }
}

/** An embedded message must itself start with a valid tag (field > 0, wire type 0, 1, 2 or 5). */
function startsWithTag(payload: Buffer): boolean {
  const tag = readVarint(payload, 0);
  if (tag === 'invalid') return false;
  if (tag === 'incomplete') return true;
  const wireType = tag.value & 7n;
  return tag.value >> 3n > 0n && (wireType === 0n || wireType === 1n || wireType === 2n || wireType === 5n);
}

/**
 * `next`: the field fits in the head. `partial`: tag and length parse but the payload runs past the
 * head (plausible so far). `stop`: the head ends inside a varint. `reject`: not a ModelProto field.
 */
type FieldResult = { next: number } | 'partial' | 'stop' | 'reject';

/** Checks one field starting at `pos`. */
function checkField(head: Buffer, pos: number): FieldResult {
  const tag = readVarint(head, pos);
  if (tag === 'invalid') return 'reject';
  if (tag === 'incomplete') return 'stop';
  const field = Number(tag.value >> 3n);
  const wireType = Number(tag.value & 7n);
  if (MODEL_FIELDS.get(field) !== wireType) return 'reject';
  const value = readVarint(head, tag.next);
  if (value === 'invalid') return 'reject';
  if (value === 'incomplete') return 'stop';
  if (wireType === 0) {
    if (field === 1 && (value.value === 0n || value.value > MAX_IR_VERSION)) return 'reject';
    return { next: value.next };
  }
  const end = BigInt(value.next) + value.value;
  const partial = end > BigInt(head.length);
  const next = partial ? head.length : Number(end);
  const payload = head.subarray(value.next, next);
  if (STRING_FIELDS.has(field) ? !isUtf8(payload, partial) : !startsWithTag(payload)) return 'reject';
  return partial ? 'partial' : { next };
}

/**
 * An ONNX file is a bare protobuf ModelProto with no magic number, so it is recognised by its first
 * fields: each must be a known ModelProto field with the right wire type and a plausible value.
 */
export function looksLikeOnnx(head: Buffer): boolean {
  let pos = 0;
  let parsed = 0;
  while (pos < head.length && parsed < FIELDS_TO_CHECK) {
    const result = checkField(head, pos);
    if (result === 'reject') return false;
    if (result === 'partial') return true;
    if (result === 'stop') return parsed > 0;
    pos = result.next;
    parsed++;
  }
  return parsed > 0;
}
