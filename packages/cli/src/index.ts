export type { CliIo, Writer } from './cli-io.js';
export { buildProgram } from './program.js';
export { runCli } from './run-cli.js';
