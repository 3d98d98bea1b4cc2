import { MAX_KEY_GRACE_SECONDS, type Scope, scopes } from '@modelport/contracts';
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

const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `3600`, `90m`, `12h`, `7d` → seconds (at most the server's 30 days). */
export function parseGraceSeconds(value: string): number {
  const match = /^([0-9]+)([smhd]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * (UNIT_S[match[2] || 's'] ?? 1) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds > MAX_KEY_GRACE_SECONDS) {
    throw new InvalidArgumentError(
      `'${value}' is not a grace period (seconds, or 90m, 12h, 7d; at most 30d).`,
    );
  }
  return seconds;
}

export function parsePageSize(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1 || n > 200)
    throw new InvalidArgumentError(`'${value}' is not 1 to 200.`);
  return n;
}

export function parseVersionNumber(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`'${value}' is not a version number.`);
  }
  return n;
}

/** `--version 2` or `--version production`: a version number, else an alias the server resolves. */
export function parseVersionRef(value: string): number | string {
  return /^[0-9]+$/.test(value) ? parseVersionNumber(value) : value;
}

/** A number from 0 up, decimals allowed (`--bake 0.5`, `--percent 12.5`). */
export function parseNonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`'${value}' is not a number from 0 up.`);
  }
  return n;
}

/** A whole number from 1 up. */
export function parsePositiveInteger(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`'${value}' is not a whole number from 1 up.`);
  }
  return n;
}

/** `10,50,100` → [10, 50, 100]. */
export function parseNumberList(value: string): number[] {
  return value.split(',').map((part) => {
    try {
      return parseNonNegative(part);
    } catch {
      throw new InvalidArgumentError(`'${value}' is not a comma-separated list of numbers.`);
    }
  });
}

/** A comma-separated list of names, e.g. `backup,backup-2` (checked against the contract later). */
export function parseNameList(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new InvalidArgumentError('expected names separated by commas');
  return names;
}
