import type { Modelport } from '@modelport/sdk';
import type { Command } from 'commander';
import { CliExit, exitCodeFor, formatError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { type CliSettings, connect, readSettings } from './cli-settings.js';

/** What an action needs: settings, a client, and output that honours `--json`. */
export class CommandContext {
  readonly settings: CliSettings;

  constructor(
    readonly io: CliIo,
    cmd: Command,
  ) {
    this.settings = readSettings(cmd, io);
  }

  get json(): boolean {
    return this.settings.json;
  }

  client(): Modelport {
    return connect(this.settings);
  }

  /** Prints `value` as JSON under `--json`, else the human rendering. */
  print(value: unknown, human: () => string): void {
    const text = this.json ? JSON.stringify(value, null, 2) : human();
    if (text !== '') this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Side remarks go to stderr, so stdout stays clean for pipes. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }
}

/**
 * Wraps a commander action: builds its context from the command (always the last argument), reports
 * failures in the one error format, and turns them into an exit code.
 */
export function action<A extends unknown[]>(
  io: CliIo,
  run: (ctx: CommandContext, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    try {
      await run(new CommandContext(io, cmd), ...(args.slice(0, -1) as A));
    } catch (err) {
      io.stderr.write(formatError(err));
      throw new CliExit(exitCodeFor(err));
    }
  };
}
