import { readFileSync } from 'node:fs';
import type { VersionConfig } from '@modelport/contracts';
import { InvalidArgumentError } from 'commander';

/** `--config '{"labels":["a"]}'` or `--config @config.json`: a JSON object either way. */
export function parseConfigOption(value: string): VersionConfig {
  const fromFile = value.startsWith('@');
  let text = value;
  if (fromFile) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (err) {
      throw new InvalidArgumentError(`cannot read ${value.slice(1)}: ${(err as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError(`${fromFile ? value.slice(1) : 'the value'} is not valid JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('the config must be a JSON object.');
  }
  return parsed as VersionConfig;
}
