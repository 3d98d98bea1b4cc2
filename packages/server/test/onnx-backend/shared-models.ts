import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's sibling `shared/models` folder of small real models. */
export const sharedModelsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../shared/models',
);

const onCi = process.env.CI === 'true';

/**
 * Paths of shared model files, and whether to skip: missing files skip the suite locally (with a
 * `skipped:` note) but not on CI, where the suite then runs and fails on the missing file.
 */
export function sharedModelFiles(relativePaths: readonly string[]): { paths: string[]; skip: boolean } {
  const paths = relativePaths.map((p) => path.join(sharedModelsDir, p));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length === 0) return { paths, skip: false };
  if (onCi) return { paths, skip: false };
  console.log(`skipped: ${missing.join(', ')} not found (set CI=true to make this fail)`);
  return { paths, skip: true };
}
