/**
 * JSON with every non-ASCII character as a `\uXXXX` escape: still the same JSON value, but safe in
 * an HTTP header, which fetch refuses when it holds characters outside Latin-1.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
