import { fileURLToPath } from 'node:url';

/**
 * The compiled file of a script that a child process or thread runs (`relative` to the module at
 * `moduleUrl`, with a `.js` name). Such scripts always run from `dist/`, also when the calling
 * module runs from sources under a test runner.
 */
export function compiledPath(moduleUrl: string, relative: string): string {
  const file = fileURLToPath(new URL(relative, moduleUrl));
  const srcDir = fileURLToPath(new URL('../', import.meta.url));
  const distDir = srcDir.replace(/([/\\])src([/\\])$/, '$1dist$2');
  return file.startsWith(srcDir) ? distDir + file.slice(srcDir.length) : file;
}
