/** One input of the tabular form: a number, or one of the categories training saw. */
export interface TabularField {
  name: string;
  kind: 'number' | 'category';
  categories: string[];
}

interface StoredColumn {
  name?: unknown;
  kind?: unknown;
  categories?: unknown;
}

/**
 * The fields a tabular version takes, from its config: a trained model's stored preprocessing
 * (`preprocessing.columns`, the dataset's own columns), else the plain `features` list (numbers).
 */
export function tabularFields(config: unknown): TabularField[] {
  const c = (config ?? {}) as { preprocessing?: { columns?: unknown }; features?: unknown };
  const columns = c.preprocessing?.columns;
  if (Array.isArray(columns)) {
    return (columns as StoredColumn[])
      .filter((col) => typeof col.name === 'string')
      .map((col) => ({
        name: col.name as string,
        kind: col.kind === 'number' ? 'number' : 'category',
        categories: Array.isArray(col.categories) ? col.categories.map(String) : [],
      }));
  }
  if (Array.isArray(c.features)) {
    return c.features.map((name) => ({ name: String(name), kind: 'number' as const, categories: [] }));
  }
  return [];
}

/** The row the form makes: numbers as numbers, an empty number field as null (missing). */
export function rowOf(
  fields: TabularField[],
  values: Record<string, string>,
): Record<string, string | number | null> {
  const row: Record<string, string | number | null> = {};
  for (const f of fields) {
    const v = values[f.name] ?? '';
    row[f.name] = f.kind === 'number' ? (v.trim() === '' ? null : Number(v)) : v;
  }
  return row;
}
