import type { IncomingMessage } from 'node:http';
import { timeOrderedId } from '../platform/index.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The server's own id for every request, unique: it keys the usage ledger, so a caller reusing an
 * id can never merge two requests. The caller's `x-request-id` (or `x-client-request-id`) is kept
 * beside it, echoed as `x-client-request-id` and stored in the ledger row. Time-ordered, so the
 * ledger's inserts append to its primary-key index.
 */
export function requestIdFor(_req: IncomingMessage): string {
  return timeOrderedId('req');
}

/** The caller's own id, when it is safe to log and echo. */
export function clientRequestIdOf(req: IncomingMessage): string | undefined {
  const given = req.headers['x-client-request-id'] ?? req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : undefined;
}
