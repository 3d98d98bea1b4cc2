/**
 * The framed runner protocol (docs/runner-protocol.md): length-prefixed binary frames between an
 * API process and its local runners, many requests in flight on one connection, told apart by id.
 *
 * A connection opens with the 8 ASCII bytes `FRAME_PREFACE` (so the runner's socket can tell it from
 * HTTP), then carries frames, little-endian:
 *
 *   u32 length   bytes after this field (8 + meta + payload)
 *   u8  kind     1 infer, 2 reply, 3 cancel
 *   u8  version  1
 *   u16 meta     length of the meta JSON
 *   u32 id       request id, chosen by the API side, echoed by the reply
 *   meta JSON    small fields of the kind (deadline, shared-memory region, timings, status)
 *   payload      the rest: binary OIP (JSON header + binary section), or an error's JSON
 */
export const FRAME_PREFACE = Buffer.from('MPFRAME1', 'latin1');
export const FRAME_VERSION = 1;
/** Fixed bytes before the meta JSON: length, kind, version, meta length, id. */
export const FRAME_HEAD_BYTES = 12;

export const frameKinds = { infer: 1, reply: 2, cancel: 3 } as const;
export type FrameKind = keyof typeof frameKinds;
const kindNames = new Map<number, FrameKind>(Object.entries(frameKinds).map(([k, v]) => [v, k as FrameKind]));

/** Meta of an infer frame (API → runner). */
export interface InferFrameMeta {
  /** The caller's deadline (ms). */
  timeoutMs: number;
  /** Length of the OIP JSON header at the start of the payload. */
  headerLength: number;
  /** Shared-memory region offered for input and output bytes (`<pid>/<fd>/<slot id>`). */
  region?: string;
  /** The binary section is the region's first N bytes instead of following the header. */
  inputBytes?: number;
}

/** Meta of a reply frame (runner → API). */
export interface ReplyFrameMeta {
  /** 200, or the error's HTTP status (the payload is then `{error, code, param?}`). */
  status: number;
  headerLength?: number;
  /** The reply's binary section is the region's first N bytes. */
  outputBytes?: number;
  queueMs?: number;
  computeMs?: number;
  batchSize?: number;
  batchRequests?: number;
}

export interface Frame {
  kind: FrameKind;
  id: number;
  meta: Record<string, unknown>;
  /** A view into the received bytes (no copy). */
  payload: Buffer;
}

/** A frame that breaks the format: the connection carrying it cannot be trusted any more. */
export class MalformedFrameError extends Error {
  override name = 'MalformedFrameError';
}

/**
 * One frame's bytes: head and meta in a small buffer, then the payload parts (written as they are).
 * With `alignAfter`, the meta is padded so that payload offset lands on an 8-byte boundary.
 */
export function encodeFrame(
  kind: FrameKind,
  id: number,
  meta: object,
  payload: readonly Uint8Array[] = [],
  alignAfter?: number,
): Buffer[] {
  let metaText = Buffer.from(JSON.stringify(meta), 'utf8');
  if (alignAfter !== undefined) {
    // Spaces after the JSON put payload byte `alignAfter` (a binary section) on an 8-byte boundary,
    // so the runner can view its tensors in place when the frame starts aligned.
    const pad = (8 - ((FRAME_HEAD_BYTES + metaText.length + alignAfter) % 8)) % 8;
    if (pad > 0) metaText = Buffer.concat([metaText, Buffer.alloc(pad, 0x20)]);
  }
  if (metaText.length > 0xffff) throw new Error('frame meta longer than 65535 bytes');
  let payloadBytes = 0;
  for (const part of payload) payloadBytes += part.byteLength;
  const head = Buffer.allocUnsafe(FRAME_HEAD_BYTES + metaText.length);
  head.writeUInt32LE(FRAME_HEAD_BYTES - 4 + metaText.length + payloadBytes, 0);
  head.writeUInt8(frameKinds[kind], 4);
  head.writeUInt8(FRAME_VERSION, 5);
  head.writeUInt16LE(metaText.length, 6);
  head.writeUInt32LE(id >>> 0, 8);
  metaText.copy(head, FRAME_HEAD_BYTES);
  return [
    head,
    ...payload.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength))),
  ];
}

/**
 * Cuts a byte stream into frames. Chunks are kept as they come; a frame that lies in one chunk is
 * a view of it, one spread over several is gathered once into a buffer of its own.
 */
export class FrameReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private prefaceSeen: boolean;

  /** `maxFrameBytes` bounds one frame; `expectPreface` when this side accepts the connection. */
  constructor(
    private readonly maxFrameBytes: number,
    expectPreface: boolean,
  ) {
    this.prefaceSeen = !expectPreface;
  }

  /** The frames completed by `chunk`; throws MalformedFrameError on bytes that break the format. */
  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    if (!this.prefaceSeen) {
      if (this.buffered < FRAME_PREFACE.length) return frames;
      const preface = this.take(FRAME_PREFACE.length);
      if (!preface.equals(FRAME_PREFACE))
        throw new MalformedFrameError('the connection does not open with the frame preface');
      this.prefaceSeen = true;
    }
    while (this.buffered >= 4) {
      const length = this.peekUInt32();
      if (length < FRAME_HEAD_BYTES - 4 || length > this.maxFrameBytes)
        throw new MalformedFrameError(`frame length ${length} is outside 8…${this.maxFrameBytes}`);
      if (this.buffered < 4 + length) break;
      frames.push(decodeFrame(this.take(4 + length)));
    }
    return frames;
  }

  private peekUInt32(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4) return first.readUInt32LE(0);
    const head = Buffer.allocUnsafe(4);
    let at = 0;
    for (const chunk of this.chunks) {
      at += chunk.copy(head, at, 0, Math.min(chunk.length, 4 - at));
      if (at === 4) break;
    }
    return head.readUInt32LE(0);
  }

  /** The next `n` buffered bytes: a view when they lie in the first chunk, else one gathered copy. */
  private take(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    this.buffered -= n;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const chunk = this.chunks[0] as Buffer;
      const part = Math.min(chunk.length, n - at);
      chunk.copy(out, at, 0, part);
      at += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    return out;
  }
}

/** One whole frame (length field included) into its parts. */
export function decodeFrame(bytes: Buffer): Frame {
  if (bytes.length < FRAME_HEAD_BYTES)
    throw new MalformedFrameError(`a frame of ${bytes.length} bytes is too short`);
  const length = bytes.readUInt32LE(0);
  if (length !== bytes.length - 4) throw new MalformedFrameError('frame length does not match its bytes');
  const kind = kindNames.get(bytes.readUInt8(4));
  if (!kind) throw new MalformedFrameError(`unknown frame kind ${bytes.readUInt8(4)}`);
  const version = bytes.readUInt8(5);
  if (version !== FRAME_VERSION) throw new MalformedFrameError(`unsupported frame version ${version}`);
  const metaLength = bytes.readUInt16LE(6);
  if (FRAME_HEAD_BYTES + metaLength > bytes.length)
    throw new MalformedFrameError('frame meta runs past the frame');
  const id = bytes.readUInt32LE(8);
  let meta: unknown;
  try {
    meta = JSON.parse(bytes.toString('utf8', FRAME_HEAD_BYTES, FRAME_HEAD_BYTES + metaLength));
  } catch {
    throw new MalformedFrameError('frame meta is not JSON');
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
    throw new MalformedFrameError('frame meta is not a JSON object');
  return {
    kind,
    id,
    meta: meta as Record<string, unknown>,
    payload: bytes.subarray(FRAME_HEAD_BYTES + metaLength),
  };
}
