import { compiledPath } from '../platform/index.js';

/** The compiled runner entry (a plain `node` process). */
export function runnerEntryPath(): string {
  return compiledPath(import.meta.url, '../runtime/runner/runner-main.js');
}

/** The compiled entry of a runner on a worker thread of this process (`isolation: "thread"`). */
export function runnerThreadEntryPath(): string {
  return compiledPath(import.meta.url, '../runtime/runner/runner-thread-main.js');
}
