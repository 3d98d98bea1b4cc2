/** "Unknown field 'foo'": a refused extra field named as the caller wrote it, not zod's "Unrecognized key". */
export function unknownFieldsMessage(keys: readonly unknown[]): string {
  const names = keys.map((k) => `'${String(k)}'`).join(', ');
  return `Unknown field${keys.length === 1 ? '' : 's'} ${names}`;
}
