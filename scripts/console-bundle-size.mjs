import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What a first visit of the console downloads, gzip-compressed: `index.html`, and the scripts and
 * styles it names (the entry, its preloaded chunks, its CSS). Chunks loaded later (the chart) are
 * not counted.
 */
export function consoleFirstLoad(distDir) {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const files = ['index.html', ...new Set(refs)].map((file) => {
    const bytes = readFileSync(path.join(distDir, file));
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  });
  return {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
  };
}
