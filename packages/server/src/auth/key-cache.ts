import type { KeyWithTenant } from './repo.js';

/** Keys kept; beyond it the oldest entries go first. */
const MAX_KEYS = 10_000;

/**
 * Key rows by visible prefix, for a store only this process writes (SQLite): every change of a key
 * goes through this process's key service, which clears the cache, so a revocation still holds at
 * once. A shared store (PostgreSQL, many replicas) is read on every request instead.
 */
export class KeyCache {
  private readonly rows = new Map<string, KeyWithTenant>();

  get(prefix: string): KeyWithTenant | undefined {
    return this.rows.get(prefix);
  }

  set(prefix: string, row: KeyWithTenant): void {
    if (this.rows.size >= MAX_KEYS) this.rows.delete(this.rows.keys().next().value as string);
    this.rows.set(prefix, row);
  }

  /** After any change to any key: rotations touch two prefixes, and changes are rare. */
  clear(): void {
    this.rows.clear();
  }
}
