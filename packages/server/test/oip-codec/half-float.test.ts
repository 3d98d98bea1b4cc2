import { describe, expect, it } from 'vitest';
import { floatToHalf, halfToFloat } from '../../src/wire/oip/index.js';

describe('floatToHalf', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [1e-8, 0x0000],
    [-1e-8, 0x8000],
    [3e-8, 0x0001],
    [Number.POSITIVE_INFINITY, 0x7c00],
    [Number.NEGATIVE_INFINITY, 0xfc00],
    [1e6, 0x7c00],
  ])('converts %d to %i', (value, bits) => {
    expect(floatToHalf(value)).toBe(bits);
  });

  it('converts NaN to a NaN pattern', () => {
    expect(Number.isNaN(halfToFloat(floatToHalf(Number.NaN)))).toBe(true);
  });

  it('rounds ties to even', () => {
    // 2049 lies halfway between 2048 (even mantissa) and 2050 (odd); 2051 between 2050 and 2052 (even).
    expect(halfToFloat(floatToHalf(2049))).toBe(2048);
    expect(halfToFloat(floatToHalf(2051))).toBe(2052);
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    // Subnormal tie: 1.5 × 2^-24 rounds to 2 × 2^-24, 0.5 × 2^-24 to 0.
    expect(floatToHalf(1.5 * 2 ** -24)).toBe(0x0002);
    expect(floatToHalf(0.5 * 2 ** -24)).toBe(0x0000);
  });

  it('rounds just under a tie down and just over it up', () => {
    expect(floatToHalf(2049 - 2 ** -20)).toBe(floatToHalf(2048));
    expect(floatToHalf(2049 + 2 ** -20)).toBe(floatToHalf(2050));
  });

  it('rounds to infinity only from the midpoint above 65504', () => {
    expect(floatToHalf(65519.99)).toBe(0x7bff);
    expect(floatToHalf(65520)).toBe(0x7c00);
  });

  it('carries a mantissa that rounds up into the next exponent', () => {
    expect(floatToHalf(2 - 2 ** -12)).toBe(0x4000);
    expect(floatToHalf(2 ** -14 - 2 ** -26)).toBe(0x0400);
  });
});

describe('halfToFloat', () => {
  it('decodes special patterns', () => {
    expect(halfToFloat(0x0000)).toBe(0);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(halfToFloat(0xfc00)).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
  });

  it('is the exact inverse of floatToHalf for every non-NaN pattern', () => {
    for (let bits = 0; bits <= 0xffff; bits++) {
      const value = halfToFloat(bits);
      if (!Number.isNaN(value) && floatToHalf(value) !== bits)
        throw new Error(`pattern ${bits.toString(16)}`);
    }
  });
});
