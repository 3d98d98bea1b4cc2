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

/**
 * For a suite that needs several files: their paths, and whether to skip (`describe.skipIf`).
 * Missing files skip locally with a `skipped:` note; under CI the suite runs and fails on them.
 */
export function sharedModelFiles(relativePaths: readonly string[]): { paths: string[]; skip: boolean } {
  const paths = relativePaths.map((p) => path.join(sharedModelsDir, p));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length === 0 || process.env.CI === 'true') return { paths, skip: false };
  console.log(`skipped: ${missing.join(', ')} not found (set CI=true to make this fail)`);
  return { paths, skip: true };
}

/** One file for a suite: its path, and whether to skip, as `sharedModelFiles` decides. */
export function sharedModelFile(relativePath: string): { file: string; skip: boolean } {
  const { paths, skip } = sharedModelFiles([relativePath]);
  return { file: paths[0] ?? path.join(sharedModelsDir, relativePath), skip };
}
