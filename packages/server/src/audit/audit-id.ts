import { randomBase62 } from '../platform/index.js';

let lastMs = -1;
let sequence = 0;

/**
 * `aud_` + milliseconds (12 hex digits) + a per-process sequence (4 hex) + random: ids sort by
 * time, so the newest-first order and the pagination cursor need no second column. Hex digits and
 * lower-case letters sort the same under any collation (SQLite's bytes, PostgreSQL's locale).
 */
export function auditId(now: Date): string {
  const ms = now.getTime();
  sequence = ms === lastMs ? (sequence + 1) % 0x10000 : 0;
  lastMs = ms;
  return `aud_${ms.toString(16).padStart(12, '0')}${sequence.toString(16).padStart(4, '0')}${randomBase62(8)}`;
}
