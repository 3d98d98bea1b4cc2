import { type Command, Option } from 'commander';
import { DEFAULT_URL } from './cli-settings.js';

function globalOptions(): Option[] {
  return [
    new Option('--url <url>', `server address (MODELPORT_URL, default ${DEFAULT_URL})`),
    new Option('--api-key <key>', 'API key (MODELPORT_API_KEY)'),
    new Option('--json', 'print raw JSON'),
  ];
}

/**
 * `--url`, `--api-key` and `--json` before the command or after it. The program reads its own
 * options only before the command's name, so a command may have options the program also has
 * (`deployments create --version 2` is not the program's `--version`); each command takes the
 * global ones itself, and `readSettings` merges them with the program's.
 */
export function addGlobalOptions(program: Command): void {
  program.enablePositionalOptions();
  for (const option of globalOptions()) program.addOption(option);
  const addToCommands = (parent: Command) => {
    for (const cmd of parent.commands) {
      for (const option of globalOptions()) cmd.addOption(option);
      addToCommands(cmd);
    }
  };
  addToCommands(program);
}
