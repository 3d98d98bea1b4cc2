import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';

/**
 * `'{"a":1}'` or `@file.json`: a JSON object either way; `what` names it in refusals
 * (`the config must be a JSON object.`).
 */
export function parseJsonObject(value: string, what: string): Record<string, unknown> {
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
    throw new InvalidArgumentError(`${what} must be a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}
