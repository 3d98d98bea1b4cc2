import { fileURLToPath } from 'node:url';

/**
 * The compiled runner entry. Runners always run from `dist/` (a plain `node` process), also when
 * the API process itself runs from sources under a test runner.
 */
export function runnerEntryPath(): string {
  const here = fileURLToPath(new URL('../runtime/runner/runner-main.js', import.meta.url));
  return here.replace(
    /([/\\])src([/\\])runtime([/\\])runner([/\\])runner-main\.js$/,
    '$1dist$2runtime$3runner$4runner-main.js',
  );
}
