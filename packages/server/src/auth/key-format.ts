import { hash, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { base62Encode, randomBase62 } from '../platform/index.js';

/**
 * `mpk_` + 12-char lookup id + 32-char secret + 6-char CRC32 checksum, all base62 (54 chars).
 * The prefix makes leaked keys findable by secret scanners; the checksum refuses typos and forgeries
 * without touching the database; the lookup id finds the row, whose hash is compared in constant time.
 */
export const KEY_PREFIX = 'mpk_';
const LOOKUP_LENGTH = 12;
const SECRET_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = KEY_PREFIX.length + LOOKUP_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${KEY_LENGTH - KEY_PREFIX.length}}$`);

export interface ParsedKey {
  /** Visible, stored and safe to log: `mpk_` + lookup id. */
  prefix: string;
  lookupId: string;
}

function checksumOf(body: string): string {
  return base62Encode(crc32(body), CHECKSUM_LENGTH);
}

export function generateKey(): string {
  const body = `${KEY_PREFIX}${randomBase62(LOOKUP_LENGTH)}${randomBase62(SECRET_LENGTH)}`;
  return body + checksumOf(body);
}

/** Null when the key is malformed or its checksum fails: no database lookup is needed to refuse it. */
export function parseKey(key: string): ParsedKey | null {
  if (!KEY_PATTERN.test(key)) return null;
  const body = key.slice(0, -CHECKSUM_LENGTH);
  if (checksumOf(body) !== key.slice(-CHECKSUM_LENGTH)) return null;
  const lookupId = key.slice(KEY_PREFIX.length, KEY_PREFIX.length + LOOKUP_LENGTH);
  return { prefix: KEY_PREFIX + lookupId, lookupId };
}

/** One-shot `hash`: runs on every authenticated request, and costs a fifth of a `createHash` object. */
export function hashKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export function hashesEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
