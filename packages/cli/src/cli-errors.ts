import { ModelportError } from '@modelport/sdk';

/** A mistake in how the command was called (exit code 2), found after commander's own checks. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Thrown once an error was reported, to carry the exit code out of commander. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CliExit';
  }
}

/** `error: <code>: <message> (request <id>)` for API errors, `error: <message>` otherwise. */
export function formatError(err: unknown): string {
  if (err instanceof ModelportError) {
    const request = err.requestId ? ` (request ${err.requestId})` : '';
    return `error: ${err.code}: ${err.message}${request}\n`;
  }
  return `error: ${err instanceof Error ? err.message : String(err)}\n`;
}

export function exitCodeFor(err: unknown): number {
  return err instanceof UsageError ? 2 : 1;
}
