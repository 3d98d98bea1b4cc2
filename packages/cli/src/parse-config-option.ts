import type { VersionConfig } from '@modelport/contracts';
import { parseJsonObject } from './parse-json-option.js';

/** `--config '{"labels":["a"]}'` or `--config @config.json`: a JSON object either way. */
export function parseConfigOption(value: string): VersionConfig {
  return parseJsonObject(value, 'the config') as VersionConfig;
}
