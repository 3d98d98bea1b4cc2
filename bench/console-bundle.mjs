import path from 'node:path';
import { consoleFirstLoad } from '../scripts/console-bundle-size.mjs';
import { consoleTimeToInteractive } from './lib/console-tti.mjs';
import { figure, infoFigure } from './lib/figure.mjs';
import { repoRoot } from './lib/paths.mjs';
import { startServerProcess } from './lib/server-process.mjs';

/** Goal for what a first visit of the console downloads (gzip). */
const GOAL_KB = 150;
/**
 * Goal for the overview's time to interactive against the sign-in page's in the same run: the
 * overview adds the key check and the first ledger read to the same static files.
 */
const GOAL_TTI_RATIO = 3;

/**
 * The web console's first load, gzip, from what `npm run build` left in packages/console/dist; and
 * the overview's time to interactive in headless Chromium, a first visit each time.
 */
export async function consoleBundle({ log }) {
  const load = consoleFirstLoad(path.join(repoRoot, 'packages/console/dist'));
  for (const f of load.files) log(`${f.file}: ${(f.gzipBytes / 1024).toFixed(1)} kB gzip (${f.bytes} bytes)`);
  const kb = load.gzipBytes / 1024;
  const figures = [
    figure('first load, kB gzip', kb, '<=', GOAL_KB),
    infoFigure('first load, kB raw', load.bytes / 1024),
  ];
  const server = await startServerProcess();
  let tti;
  try {
    tti = await consoleTimeToInteractive(server);
  } finally {
    await server.close();
  }
  if (tti) {
    log(`sign-in page usable: ${tti.signIn.map((t) => t.toFixed(0)).join(', ')} ms`);
    log(`overview interactive: ${tti.overview.map((t) => t.toFixed(0)).join(', ')} ms`);
    figures.push(
      figure(
        'overview time to interactive ÷ sign-in page',
        tti.overviewMs / tti.signInMs,
        '<=',
        GOAL_TTI_RATIO,
      ),
      infoFigure('overview time to interactive, ms (median)', tti.overviewMs),
      infoFigure('sign-in page usable, ms (median)', tti.signInMs),
    );
  } else {
    log('time to interactive skipped: /usr/bin/chromium is absent');
  }
  return {
    id: 'console-bundle',
    title: 'Web console: first-load size, and time to interactive of the overview in headless Chromium',
    figures,
    raw: { load, tti },
    lines: [],
  };
}
