import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The folder of the wasm backend's `.wasm` files inside its installed package: loaded from disk,
 * never fetched.
 */
export function wasmFilesDir(): string {
  const require = createRequire(import.meta.url);
  return `${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}${path.sep}`;
}
