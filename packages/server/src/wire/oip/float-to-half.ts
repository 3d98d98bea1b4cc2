const HALF_INFINITY = 0x7c00;
const HALF_NAN = 0x7e00;
/** Half of the gap above the largest half (65504): from here on, nearest-even rounds to infinity. */
const HALF_OVERFLOW = 65520;
const MIN_NORMAL = 2 ** -14;

/** Rounds to the nearest integer, ties to even (Math.round ties upward). */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The exponent e with 2^e <= a < 2^(e+1); Math.log2 alone can be off by one near powers of two. */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  return e;
}

/**
 * IEEE 754 binary16 bits of a number, rounded to nearest-even straight from the double (going
 * through float32 first would round twice).
 */
export function floatToHalf(value: number): number {
  if (Number.isNaN(value)) return HALF_NAN;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a >= HALF_OVERFLOW) return sign | HALF_INFINITY;
  if (a < MIN_NORMAL) return sign | roundHalfEven(a * 2 ** 24);
  let e = exponentOf(a);
  let mantissa = roundHalfEven((a / 2 ** e - 1) * 1024);
  if (mantissa === 1024) {
    e += 1;
    mantissa = 0;
  }
  return sign | ((e + 15) << 10) | mantissa;
}
