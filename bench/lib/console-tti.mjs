import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { percentile } from './percentiles.mjs';

export const CHROMIUM = '/usr/bin/chromium';

/** Milliseconds since navigation start, read in the page once `ready` (a page function) holds. */
async function timeTo(page, url, ready) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(ready, null, { polling: 'raf', timeout: 30_000 });
  return page.evaluate(() => performance.now());
}

// Page functions: they run in the browser (no DOM types here).
const signInUsable = () => {
  const input = document.querySelector('#api-key');
  return input !== null && !input.disabled;
};
const overviewInteractive = () => {
  const h1 = document.querySelector('h1');
  const tile = document.querySelector('section[aria-label="Requests/s"] .value');
  return h1?.textContent === 'Overview' && tile !== null && tile.textContent !== '…';
};

/**
 * Time to interactive of the console in headless Chromium, each visit in a fresh context (empty
 * cache, like a first visit): the sign-in page until its key field is usable (static files only),
 * and the overview, signed in, until its traffic tiles show the server's figures (the page, the
 * key check and the first ledger read). Medians of `runs` visits.
 */
export async function consoleTimeToInteractive(server, { runs = 7 } = {}) {
  if (!existsSync(CHROMIUM)) return null;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const signIn = [];
    const overview = [];
    for (let i = 0; i < runs; i++) {
      for (const [times, signedIn, ready] of [
        [signIn, false, signInUsable],
        [overview, true, overviewInteractive],
      ]) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        if (signedIn)
          await context.addInitScript((key) => sessionStorage.setItem('modelport.apiKey', key), server.key);
        const page = await context.newPage();
        times.push(await timeTo(page, `${server.url}/console/`, ready));
        await context.close();
      }
    }
    return { signInMs: percentile(signIn, 50), overviewMs: percentile(overview, 50), signIn, overview };
  } finally {
    await browser.close();
  }
}
