import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';

/** The logger every service takes: pino's, typed as the HTTP layer sees it so both share one instance. */
export type Logger = FastifyBaseLogger;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: null,
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
  });
}
