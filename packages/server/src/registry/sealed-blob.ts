import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../platform/errors/index.js';
import type { ArtifactKeyring, MasterKey } from './artifact-keyring.js';

/**
 * Artifacts sealed at rest: AES-256-GCM in segments (each its own nonce and tag), under a data key
 * made for the blob and wrapped by a master key. The header names the master key and carries the
 * wrapped data key; every segment's tag also covers the header, its index and whether it is the
 * last, so a reordered, truncated or extended blob fails to open. The blob's sha256 in the registry
 * stays that of the plaintext.
 *
 *   header: magic(8) keyId(8) wrapNonce(12) wrappedKey(32) wrapTag(16) baseNonce(8) segmentSize(4)
 *   segments: ciphertext(≤ segmentSize) tag(16) … the last one flagged (possibly empty)
 */
const MAGIC = Buffer.from('MPSEAL01');
const HEADER_BYTES = 88;
const TAG_BYTES = 16;
const SEGMENT_BYTES = 1024 * 1024;

export function isSealed(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
}

function segmentCipherParts(header: Buffer, baseNonce: Buffer, index: number, last: boolean) {
  const nonce = Buffer.alloc(12);
  baseNonce.copy(nonce, 0);
  nonce.writeUInt32BE(index, 8);
  const aad = Buffer.alloc(HEADER_BYTES + 5);
  header.copy(aad, 0);
  aad.writeUInt32BE(index, HEADER_BYTES);
  aad[HEADER_BYTES + 4] = last ? 1 : 0;
  return { nonce, aad };
}

/** Encrypts a plaintext stream into a sealed blob under the keyring's current key. */
export function sealStream(master: MasterKey): Transform {
  const dataKey = randomBytes(32);
  const wrapNonce = randomBytes(12);
  const wrap = createCipheriv('aes-256-gcm', master.key, wrapNonce);
  wrap.setAAD(MAGIC);
  const wrapped = Buffer.concat([wrap.update(dataKey), wrap.final()]);
  const baseNonce = randomBytes(8);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(SEGMENT_BYTES);
  const header = Buffer.concat([
    MAGIC,
    Buffer.from(master.id, 'hex'),
    wrapNonce,
    wrapped,
    wrap.getAuthTag(),
    baseNonce,
    size,
  ]);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  const seal = (plain: Buffer, last: boolean): Buffer => {
    const { nonce, aad } = segmentCipherParts(header, baseNonce, index++, last);
    const cipher = createCipheriv('aes-256-gcm', dataKey, nonce);
    cipher.setAAD(aad);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };
  return new Transform({
    construct(done) {
      this.push(header);
      done();
    },
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      // A full segment goes out only once more bytes follow it: the last one must be flagged.
      if (pendingBytes > SEGMENT_BYTES) {
        let all = Buffer.concat(pending);
        while (all.length > SEGMENT_BYTES) {
          this.push(seal(all.subarray(0, SEGMENT_BYTES), false));
          all = all.subarray(SEGMENT_BYTES);
        }
        pending = [all];
        pendingBytes = all.length;
      }
      done();
    },
    flush(done: TransformCallback) {
      this.push(seal(Buffer.concat(pending), true));
      done();
    },
  });
}

/**
 * Passes a plain blob through unchanged and opens a sealed one with the keyring (the first bytes
 * tell which), so blobs stored before encryption was turned on stay readable. A sealed blob
 * without its key, or one whose bytes were changed, fails with `artifact_unreadable`.
 */
export function openStream(keyring: ArtifactKeyring | undefined): Transform {
  let head = Buffer.alloc(0);
  let mode: 'unknown' | 'plain' | 'sealed' = 'unknown';
  let dataKey: Buffer | undefined;
  let header: Buffer | undefined;
  let baseNonce: Buffer | undefined;
  let segment = SEGMENT_BYTES + TAG_BYTES;
  let buffered: Buffer = Buffer.alloc(0);
  let index = 0;

  const open = (sealed: Buffer, last: boolean): Buffer => {
    if (!dataKey || !header || !baseNonce) throw new Error('sealed blob read before its header');
    if (sealed.length < TAG_BYTES) throw unreadable('a sealed segment is shorter than its tag');
    const { nonce, aad } = segmentCipherParts(header, baseNonce, index++, last);
    const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw unreadable(`segment ${index - 1} failed authentication (the blob was changed or cut)`);
    }
  };

  const readHeader = (bytes: Buffer): void => {
    header = bytes.subarray(0, HEADER_BYTES);
    const keyId = header.subarray(8, 16).toString('hex');
    const master = keyring?.byId.get(keyId);
    if (!master) {
      throw unreadable(
        `the artifact is encrypted at rest with key ${keyId}, which this server does not have (artifacts.encryption keys)`,
      );
    }
    const unwrap = createDecipheriv('aes-256-gcm', master.key, header.subarray(16, 28));
    unwrap.setAAD(MAGIC);
    unwrap.setAuthTag(header.subarray(60, 76));
    try {
      dataKey = Buffer.concat([unwrap.update(header.subarray(28, 60)), unwrap.final()]);
    } catch {
      throw unreadable('the artifact’s data key failed to unwrap (a changed header)');
    }
    baseNonce = header.subarray(76, 84);
    segment = header.readUInt32BE(84) + TAG_BYTES;
  };

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        if (mode === 'plain') return done(null, chunk);
        if (mode === 'unknown') {
          head = Buffer.concat([head, chunk]);
          if (head.length < MAGIC.length) return done();
          if (!isSealed(head)) {
            mode = 'plain';
            const all = head;
            head = Buffer.alloc(0);
            return done(null, all);
          }
          if (head.length < HEADER_BYTES) return done();
          readHeader(head);
          mode = 'sealed';
          buffered = head.subarray(HEADER_BYTES);
          head = Buffer.alloc(0);
        } else {
          buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        }
        while (buffered.length > segment) {
          this.push(open(buffered.subarray(0, segment), false));
          buffered = buffered.subarray(segment);
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (mode === 'unknown') {
          if (isSealed(head)) throw unreadable('a sealed blob is shorter than its header');
          return done(null, head);
        }
        if (mode === 'sealed') this.push(open(buffered, true));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

function unreadable(reason: string): AppError {
  return new AppError('artifact_unreadable', `artifact cannot be opened: ${reason}`);
}
