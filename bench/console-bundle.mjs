import path from 'node:path';
import { consoleFirstLoad } from '../scripts/console-bundle-size.mjs';
import { figure, infoFigure } from './lib/figure.mjs';
import { repoRoot } from './lib/paths.mjs';

/** Goal for what a first visit of the console downloads (gzip). */
const GOAL_KB = 150;

/** The web console's first load, gzip: what `npm run build` left in packages/console/dist. */
export async function consoleBundle({ log }) {
  const load = consoleFirstLoad(path.join(repoRoot, 'packages/console/dist'));
  for (const f of load.files) log(`${f.file}: ${(f.gzipBytes / 1024).toFixed(1)} kB gzip (${f.bytes} bytes)`);
  const kb = load.gzipBytes / 1024;
  return {
    id: 'console-bundle',
    title: 'Web console: first-load size (index.html + entry script + styles)',
    figures: [
      figure('first load, kB gzip', kb, '<=', GOAL_KB),
      infoFigure('first load, kB raw', load.bytes / 1024),
    ],
    raw: load,
    lines: [],
  };
}
