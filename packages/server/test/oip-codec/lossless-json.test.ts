import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../../src/wire/oip/lossless-json.js';

describe('parseJsonLossless', () => {
  it.each([
    '{"a":[1,-2.5,3e10,-0,1E-7,0.1],"b":{"c":null,"d":true,"e":false}}',
    ' [ "plain", "esc\\"aped\\\\", "\\u00e9\\ud83d\\ude00", "日本", "" ] ',
    '{"a":1,"a":2,"__proto__":{"x":1}}',
    '[[[]],{},[{}]]',
    '9007199254740991',
    '-9007199254740991',
  ])('reads %s as JSON.parse does', (text) => {
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });

  it('keeps integers beyond 2^53 as bigint', () => {
    expect(
      parseJsonLossless('[9007199254740993,-9223372036854775808,18446744073709551615,9007199254740992.5]'),
    ).toEqual([9007199254740993n, -9223372036854775808n, 18446744073709551615n, 2 ** 53]);
  });

  it('makes __proto__ an own property, not the prototype', () => {
    const parsed = parseJsonLossless('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
  });
});
