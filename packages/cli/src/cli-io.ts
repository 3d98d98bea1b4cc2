import { createInterface } from 'node:readline/promises';

export interface Writer {
  write(text: string): unknown;
}

/** Everything a command touches outside itself, so tests run the program in-process and read its output. */
export interface CliIo {
  stdout: Writer;
  stderr: Writer;
  env: Readonly<Record<string, string | undefined>>;
  /** Terminal for progress bars; absent when stderr is not a TTY. */
  tty?: NodeJS.WriteStream | undefined;
  /** Asks a yes/no question; absent when stdin is not a terminal. */
  confirm?: ((question: string) => Promise<boolean>) | undefined;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    tty: process.stderr.isTTY ? process.stderr : undefined,
    confirm: process.stdin.isTTY ? askOnTerminal : undefined,
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
