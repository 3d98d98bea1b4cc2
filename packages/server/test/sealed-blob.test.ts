import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { type ArtifactKeyring, keyringFrom, masterKeyOf } from '../src/registry/artifact-keyring.js';
import { openStream, sealStream } from '../src/registry/sealed-blob.js';

const MIB = 1024 * 1024;
const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const ringA = keyringFrom(keyA, undefined) as ArtifactKeyring;

/** Bytes through a transform, fed in uneven chunks (as a file or socket gives them). */
async function through(bytes: Buffer, transform: NodeJS.ReadWriteStream, chunk = 65_537): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) parts.push(bytes.subarray(at, at + chunk));
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk);
      done();
    },
  });
  await pipeline(Readable.from(parts), transform, sink);
  return Buffer.concat(out);
}

const seal = (plain: Buffer, ring = ringA) => through(plain, sealStream(ring.current));
/** Opens with `ring` (undefined: a server without keys). */
const open = (sealed: Buffer, ring: ArtifactKeyring | undefined) => through(sealed, openStream(ring));

describe('sealed blobs (AES-256-GCM in segments)', () => {
  it('round-trips any length, segment boundaries included, and hides the plaintext', async () => {
    for (const length of [0, 1, 100, MIB - 1, MIB, MIB + 1, 2 * MIB, Math.floor(2.5 * MIB)]) {
      const plain = randomBytes(length);
      const sealed = await seal(plain);
      expect(sealed.length).toBe(88 + length + 16 * Math.max(1, Math.ceil(length / MIB)));
      expect((await open(sealed, ringA)).equals(plain)).toBe(true);
    }
    const text = Buffer.from('a recognisable plaintext marker '.repeat(1000));
    expect((await seal(text)).includes(Buffer.from('recognisable'))).toBe(false);
  });

  it('passes plain blobs through unchanged', async () => {
    const plain = randomBytes(3 * 1000);
    expect((await open(plain, undefined)).equals(plain)).toBe(true);
    expect((await open(Buffer.from('tiny'), ringA)).toString()).toBe('tiny');
  });

  it('refuses a changed byte, a cut, a dropped or swapped segment, and an added one', async () => {
    const plain = randomBytes(3 * MIB + 5);
    const sealed = await seal(plain);
    const segment = MIB + 16;
    const flipped = Buffer.from(sealed);
    flipped[88 + 10] = (flipped[88 + 10] ?? 0) ^ 1;
    const header = sealed.subarray(0, 88);
    const segs = [0, 1, 2, 3].map((i) => sealed.subarray(88 + i * segment, 88 + (i + 1) * segment));
    const [s0, s1, s2, s3] = segs as [Buffer, Buffer, Buffer, Buffer];
    const cases: [string, Buffer][] = [
      ['a changed byte', flipped],
      ['cut at a segment boundary', Buffer.concat([header, s0, s1])],
      ['cut inside a segment', sealed.subarray(0, sealed.length - 3)],
      ['a dropped segment', Buffer.concat([header, s0, s2, s3])],
      ['swapped segments', Buffer.concat([header, s1, s0, s2, s3])],
      ['an added segment', Buffer.concat([sealed, s1])],
    ];
    for (const [, bytes] of cases) {
      await expect(open(bytes, ringA)).rejects.toMatchObject({ code: 'artifact_unreadable' });
    }
  });

  it('opens with any key of the ring, refuses without it, and seals with the first', async () => {
    const plain = randomBytes(4096);
    const byA = await seal(plain);
    await expect(open(byA, undefined)).rejects.toThrow(/encrypted at rest with key [0-9a-f]{16}/);
    await expect(open(byA, keyringFrom(keyB, undefined))).rejects.toMatchObject({
      code: 'artifact_unreadable',
    });
    // Rotation: B is the new current key, A is still there to open what it sealed.
    const rotated = keyringFrom(`${keyB},${keyA}`, undefined) as ArtifactKeyring;
    expect((await open(byA, rotated)).equals(plain)).toBe(true);
    const byB = await seal(plain, rotated);
    expect(byB.subarray(8, 16).toString('hex')).toBe(masterKeyOf(keyB).id);
    await expect(open(byB, ringA)).rejects.toMatchObject({ code: 'artifact_unreadable' });
    expect((await buffer(Readable.from([await open(byB, rotated)]))).equals(plain)).toBe(true);
  });

  it('refuses keys that are not 32 bytes of base64', () => {
    expect(() => keyringFrom('c2hvcnQ=', undefined)).toThrow(/32 bytes in base64/);
    expect(keyringFrom(undefined, undefined)).toBeUndefined();
  });
});
