import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/models` beside the repository; absent on a bare clone. */
export const sharedModelsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../shared/models',
);

/**
 * The path of a shared model file. When it is absent the test is skipped (counted as skipped,
 * with the reason printed); under CI=true a missing model fails the run instead.
 */
export function sharedModel(relative: string, ctx: { skip: (note?: string) => void }): string {
  const file = path.join(sharedModelsDir, relative);
  if (existsSync(file)) return file;
  if (process.env.CI === 'true') throw new Error(`required model missing under CI: ${file}`);
  const reason = `skipped: ${relative} not found in ${sharedModelsDir}`;
  console.log(reason);
  ctx.skip(reason);
  return file;
}

/** For a whole suite: the path, or null (printed as skipped) so the suite can `describe.skipIf`. */
export function sharedModelOrNull(relative: string): string | null {
  const file = path.join(sharedModelsDir, relative);
  if (existsSync(file)) return file;
  if (process.env.CI === 'true') throw new Error(`required model missing under CI: ${file}`);
  console.log(`skipped: ${relative} not found in ${sharedModelsDir}`);
  return null;
}
