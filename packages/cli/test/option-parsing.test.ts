import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from '../src/format-values.js';
import { parseExpiry } from '../src/parse-expiry.js';

const now = new Date('2030-01-01T00:00:00.000Z');

describe('parseExpiry', () => {
  it('reads durations from now', () => {
    expect(parseExpiry('30d', now)).toBe('2030-01-31T00:00:00.000Z');
    expect(parseExpiry('12h', now)).toBe('2030-01-01T12:00:00.000Z');
    expect(parseExpiry('90m', now)).toBe('2030-01-01T01:30:00.000Z');
    expect(parseExpiry('2w', now)).toBe('2030-01-15T00:00:00.000Z');
  });

  it('reads ISO dates and instants, normalised to UTC', () => {
    expect(parseExpiry('2030-06-01', now)).toBe('2030-06-01T00:00:00.000Z');
    expect(parseExpiry('2030-06-01T12:00:00+02:00', now)).toBe('2030-06-01T10:00:00.000Z');
  });

  it('refuses the past and loose formats', () => {
    for (const bad of ['2029-12-31', '0d', 'tomorrow', 'June 1 2030', '30 days']) {
      expect(() => parseExpiry(bad, now)).toThrow(InvalidArgumentError);
    }
  });
});

describe('formatting', () => {
  it('formats sizes and parameter counts', () => {
    expect([formatBytes(0), formatBytes(1536), formatBytes(2 * 1024 ** 3)]).toEqual([
      '0 B',
      '1.5 KB',
      '2.0 GB',
    ]);
    expect([formatCount(999), formatCount(292_800), formatCount(7_240_000_000)]).toEqual([
      '999',
      '292.8K',
      '7.2B',
    ]);
  });
});
