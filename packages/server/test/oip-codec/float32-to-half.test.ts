import { describe, expect, it } from 'vitest';
import { float32ArrayToHalf, floatToHalf } from '../../src/wire/oip/index.js';

describe('float32ArrayToHalf', () => {
  it('agrees with the exact conversion on every half value, the midpoints between them, and random floats', () => {
    const values: number[] = [
      0,
      -0,
      Infinity,
      -Infinity,
      65504,
      65519,
      65520,
      1e-8,
      2 ** -24,
      2 ** -25,
      3 * 2 ** -26,
    ];
    for (let bits = 0; bits < 0x7c00; bits++) {
      // Every finite positive half, and a float32 just around the midpoint to its successor.
      const exponent = bits >> 10;
      const mantissa = bits & 0x3ff;
      const value = exponent === 0 ? mantissa * 2 ** -24 : 2 ** (exponent - 15) * (1 + mantissa / 1024);
      const step = exponent === 0 ? 2 ** -24 : 2 ** (exponent - 25);
      values.push(value, -value, value + step / 2, value + step / 2 + step / 1024);
    }
    let seed = 12345;
    for (let i = 0; i < 50_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      values.push((seed / 2 ** 31 - 0.5) * 2 ** ((seed % 40) - 20));
    }
    const floats = Float32Array.from(values);
    const fast = float32ArrayToHalf(floats);
    const exact = Array.from(floats, floatToHalf);
    const mismatches = [...fast].flatMap((h, i) => (h === exact[i] ? [] : [[floats[i], h, exact[i]]]));
    expect(mismatches).toEqual([]);
  });

  it('keeps NaN a NaN', () => {
    const [h] = float32ArrayToHalf(Float32Array.of(Number.NaN));
    expect((h ?? 0) & 0x7c00).toBe(0x7c00);
    expect((h ?? 0) & 0x3ff).not.toBe(0);
  });
});
