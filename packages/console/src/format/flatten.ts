/** A leaf value as short text: numbers to 4 significant digits, anything else as JSON. */
export function leafText(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value) ?? '—';
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Leaves of a JSON object as `[a.b.c, text]` rows (arrays stay whole, as one leaf). */
export function flatten(value: unknown, prefix = '', out: [string, string][] = []): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.push([prefix, leafText(value)]);
  }
  return out;
}
