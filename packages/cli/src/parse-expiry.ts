import { InvalidArgumentError } from 'commander';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30d`, `12h`, `90m`, `2w` from now, or an ISO date/instant; returns an ISO instant in the future. */
export function parseExpiry(value: string, now: Date = new Date()): string {
  const relative = /^([0-9]+)([mhdw])$/.exec(value.trim());
  const at = relative
    ? new Date(now.getTime() + Number(relative[1]) * (UNIT_MS[relative[2] ?? ''] ?? 0))
    : new Date(isoLike(value) ? value : Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError(`'${value}' is neither a duration (30d, 12h, 90m, 2w) nor an ISO date.`);
  }
  if (at.getTime() <= now.getTime()) throw new InvalidArgumentError(`'${value}' is not in the future.`);
  return at.toISOString();
}

/** Date.parse accepts many loose formats; only ISO-8601 dates and instants are meant here. */
function isoLike(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim());
}
