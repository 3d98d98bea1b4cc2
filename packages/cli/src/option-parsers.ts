import { type Scope, scopes } from '@modelport/contracts';
import { InvalidArgumentError } from 'commander';

/** For repeatable options: `--model a --model b` → ['a', 'b']. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function collectScope(value: string, previous: Scope[] = []): Scope[] {
  const scope = scopes.find((s) => s === value);
  if (!scope) throw new InvalidArgumentError(`'${value}' is not a scope (${scopes.join(', ')}).`);
  return [...previous, scope];
}

export function parseVersionNumber(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`'${value}' is not a version number.`);
  }
  return n;
}
