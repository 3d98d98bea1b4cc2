import { readFileSync } from 'node:fs';
import type { Config } from '../config/index.js';

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/** The configured certificate and key, read now; undefined when the server speaks plain HTTP. */
export function readTlsFiles(tls: Config['tls']): TlsMaterial | undefined {
  if (!tls.certFile || !tls.keyFile) return undefined;
  return { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) };
}
