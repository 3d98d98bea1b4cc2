/** A JSON value written as a Python literal (True, False, None), indented like `json.dumps(indent=4)`. */
export function pythonLiteral(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent + 4);
  const end = ' '.repeat(indent);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v === 'number')) return `[${value.join(', ')}]`;
    return `[\n${value.map((v) => pad + pythonLiteral(v, indent + 4)).join(',\n')},\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries
    .map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pythonLiteral(v, indent + 4)}`)
    .join(',\n')},\n${end}}`;
}

/** Keyword arguments for a Python call, one per line: `model="x", max_tokens=48`. */
export function pythonKwargs(body: Record<string, unknown>, indent = 4): string {
  const pad = ' '.repeat(indent);
  return Object.entries(body)
    .map(([k, v]) => `${pad}${k}=${pythonLiteral(v, indent)},`)
    .join('\n');
}
