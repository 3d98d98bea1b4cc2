import { compiledPath } from '../platform/index.js';

/** The compiled runner entry (a plain `node` process). */
export function runnerEntryPath(): string {
  return compiledPath(import.meta.url, '../runtime/runner/runner-main.js');
}
