import { InvalidArgumentError } from 'commander';

/** `a=1,b=x` → { a: '1', b: 'x' }; a key outside `keys`, a repeated key or a bare word is refused. */
export function parseKeyValues(spec: string, keys: readonly string[]): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    if (eq < 1 || key === '') throw new InvalidArgumentError(`'${part}' is not key=value.`);
    if (!keys.includes(key))
      throw new InvalidArgumentError(`unknown key '${key}' (known: ${keys.join(', ')}).`);
    if (pairs.has(key)) throw new InvalidArgumentError(`'${key}' is given twice.`);
    pairs.set(key, part.slice(eq + 1).trim());
  }
  return pairs;
}

/** A decimal number as written (`90`, `0.01`, `1e-3`), refusing what `Number()` would bend ('' → 0). */
export function specNumber(key: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw new InvalidArgumentError(`${key} '${text}' is not a number.`);
  }
  return n;
}
