import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A master key: 32 bytes, known by the first 8 bytes of its sha256 (written in each sealed blob). */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/**
 * The master keys artifacts are sealed with: the first seals every new blob, all of them open blobs
 * sealed before (rotation: put the new key first, keep the old ones until every blob is re-sealed).
 */
export interface ArtifactKeyring {
  current: MasterKey;
  byId: ReadonlyMap<string, MasterKey>;
}

/**
 * Keys as configured: base64 of 32 bytes each, separated by commas or new lines (a key file holds
 * one per line; `#` starts a comment). Undefined when none is configured.
 */
export function keyringFrom(
  keys: string | undefined,
  keyFile: string | undefined,
): ArtifactKeyring | undefined {
  const text = [keys ?? '', keyFile ? readFileSync(keyFile, 'utf8') : ''].join('\n');
  const parsed = text
    .split(/[,\n]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    .map(masterKeyOf);
  const [current] = parsed;
  if (!current) return undefined;
  return { current, byId: new Map(parsed.map((k) => [k.id, k])) };
}

export function masterKeyOf(base64: string): MasterKey {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== base64.replace(/=+$/, '')) {
    throw new Error('an artifact encryption key must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
  }
  return { id: keyIdOf(key), key };
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest().subarray(0, 8).toString('hex');
}
