import type { IncomingMessage } from 'node:http';
import { randomBase62 } from '../platform/ids.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honours a caller's `x-request-id` when it is safe to log and echo; otherwise makes one. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : `req_${randomBase62(20)}`;
}
