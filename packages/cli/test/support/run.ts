import type { CliIo } from '../../src/index.js';
import { runCli } from '../../src/index.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  confirm?: (question: string) => Promise<boolean>;
}

/** Captures both output streams of one in-process run. */
export function captureIo(options: RunOptions = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: options.env ?? {},
    confirm: options.confirm,
  };
}

export async function runWith(argv: string[], options: RunOptions = {}): Promise<CliResult> {
  const io = captureIo(options);
  const code = await runCli(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

/** A runner bound to one server and key through the environment, as a user's shell would be. */
export function cliFor(url: string, apiKey: string) {
  return (argv: string[], options: RunOptions = {}) =>
    runWith(argv, { ...options, env: { MODELPORT_URL: url, MODELPORT_API_KEY: apiKey, ...options.env } });
}
