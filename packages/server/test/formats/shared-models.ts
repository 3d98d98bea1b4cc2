import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's real model files live next to the repository, in shared/models. */
export const SHARED_MODELS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../shared/models',
);

/**
 * A real model file for a test. When it is absent the test is skipped visibly, except under CI
 * (`CI=true`), where the test runs and fails, so a missing model can never pass silently.
 */
export function sharedModel(relativePath: string): { file: string; skip: boolean } {
  const file = path.join(SHARED_MODELS, relativePath);
  const skip = !existsSync(file) && process.env.CI !== 'true';
  if (skip) console.log(`skipped: ${relativePath} is not in ${SHARED_MODELS}`);
  return { file, skip };
}
