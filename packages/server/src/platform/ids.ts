import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * CSPRNG bytes drawn 4 KiB at a time: one id per request would otherwise cost a system call each.
 * Each byte is handed out once.
 */
const pool = Buffer.allocUnsafe(4096);
let next = pool.length;

function randomByte(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++] as number;
}

/** Uniform base62 string from the CSPRNG (rejection sampling avoids modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out;
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(20)}`;
}

/**
 * An id of the same length whose first 8 characters are the time in milliseconds (base62, ordered
 * as text): rows keyed by it are appended at the end of their index instead of at a random page,
 * so a commit of a few of them writes a few pages, not one per row.
 */
export function timeOrderedId(prefix: string): string {
  return `${prefix}_${base62Encode(Date.now(), 8)}${randomBase62(12)}`;
}

export function base62Encode(value: number, width: number): string {
  let n = value;
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}
