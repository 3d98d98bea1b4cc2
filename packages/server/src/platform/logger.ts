import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import pinoPretty from 'pino-pretty';

/** The logger every service takes: pino's, typed as the HTTP layer sees it so both share one instance. */
export type Logger = FastifyBaseLogger;

/** `json`: one JSON object per line (collectors); `pretty`: coloured lines for a person; `auto`: by terminal. */
export const logFormats = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof logFormats)[number];

export interface LoggerOptions {
  /** Default `json`; the server passes its configured `logFormat` (default `auto`). */
  format?: LogFormat;
  /** Where lines go; default stdout. */
  destination?: NodeJS.WritableStream;
  /** Whether the destination is a terminal, for `auto`; default stdout's. */
  isTTY?: boolean;
}

/** `auto` is pretty on a terminal and JSON anywhere else (a pipe, a file, a test runner, a container log). */
export function resolveLogFormat(format: LogFormat, isTTY: boolean): 'json' | 'pretty' {
  if (format === 'auto') return isTTY ? 'pretty' : 'json';
  return format;
}

/**
 * Runner processes log nothing through it: they inherit this process's stdout and stderr and write
 * plain lines to stderr (a failed start also goes back over IPC), so the format never reaches them.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const isTTY = options.isTTY ?? process.stdout.isTTY === true;
  const settings = {
    level,
    base: null,
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
  };
  if (resolveLogFormat(options.format ?? 'json', isTTY) === 'pretty') {
    const destination = options.destination ?? process.stdout;
    // In-process and synchronous: no worker thread, and nothing is lost when the process exits.
    const pretty = pinoPretty({ destination, sync: true, colorize: isTTY, translateTime: 'SYS:HH:MM:ss.l' });
    return pino(settings, pretty);
  }
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
