import { AppError } from '../../platform/errors/index.js';

/** Integer tokens this long may exceed 2^53; shorter ones never do. */
const SAFE_DIGITS = 15;

/**
 * A JSON parser that reads integer tokens beyond ±(2^53 − 1) as `bigint` instead of rounding them,
 * and everything else exactly as `JSON.parse` does. Slower than `JSON.parse`, so it only runs on
 * texts that `JSON.parse` already accepted and that carry such integers.
 */
export function parseJsonLossless(text: string): unknown {
  const parser = new LosslessParser(text);
  try {
    const value = parser.value();
    parser.end();
    return value;
  } catch (err) {
    if (err instanceof AppError) throw err;
    // RangeError from nesting deeper than the stack allows.
    throw new AppError('invalid_json', `Inference header JSON could not be read: ${(err as Error).message}`);
  }
}

class LosslessParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  value(): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    return this.number();
  }

  end(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail();
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos += 1;
    if (this.peek() === '}') return this.close(out);
    for (;;) {
      this.skipSpace();
      const key = this.string();
      this.expect(':');
      const item = this.value();
      // Like JSON.parse: `__proto__` becomes an own property, not the prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[key] = item;
      if (this.peek() === '}') return this.close(out);
      this.expect(',');
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.pos += 1;
    if (this.peek() === ']') return this.close(out);
    for (;;) {
      out.push(this.value());
      if (this.peek() === ']') return this.close(out);
      this.expect(',');
    }
  }

  private string(): string {
    const start = this.pos;
    if (this.text[start] !== '"') this.fail();
    let i = start + 1;
    let escaped = false;
    for (; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i += 1;
      } else if (c === 0x22) break;
    }
    if (i >= this.text.length) this.fail();
    this.pos = i + 1;
    return escaped ? (JSON.parse(this.text.slice(start, i + 1)) as string) : this.text.slice(start + 1, i);
  }

  private number(): number | bigint {
    const start = this.pos;
    let integer = true;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos] ?? '';
      if (c === '.' || c === 'e' || c === 'E' || c === '+') integer = false;
      else if (c !== '-' && (c < '0' || c > '9')) break;
    }
    const token = this.text.slice(start, this.pos);
    const value = Number(token);
    if (token === '' || token === '-' || Number.isNaN(value)) this.fail();
    if (integer && token.replace('-', '').length > SAFE_DIGITS && !Number.isSafeInteger(value))
      return BigInt(token);
    return value;
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail();
    this.pos += word.length;
    return value;
  }

  private close<T>(value: T): T {
    this.pos += 1;
    return value;
  }

  private peek(): string | undefined {
    this.skipSpace();
    return this.text[this.pos];
  }

  private expect(char: string): void {
    if (this.peek() !== char) this.fail();
    this.pos += 1;
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos += 1;
    }
  }

  private fail(): never {
    throw new AppError('invalid_json', `Inference header is not valid JSON (at position ${this.pos}).`);
  }
}
