import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/models` beside the repository; absent on a bare clone. */
export const sharedModelsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../shared/models',
);

/**
 * Whether a shared model file is here. A test that needs it skips with a printed reason when it is
 * not; under CI=true a missing model fails the run instead.
 */
export function sharedModel(relative: string): string | null {
  const file = path.join(sharedModelsDir, relative);
  if (existsSync(file)) return file;
  if (process.env.CI === 'true') throw new Error(`required model missing under CI: ${file}`);
  console.log(`skipped: ${relative} not found in ${sharedModelsDir}`);
  return null;
}
