import { CommanderError } from 'commander';
import { CliExit, formatError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { buildProgram } from './program.js';

/** Runs one command line and returns the exit code: 0 ok, 1 failed, 2 usage error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CliExit) return err.exitCode;
    // Commander already printed its message; help and --version end with exit code 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    io.stderr.write(formatError(err));
    return 1;
  }
}
