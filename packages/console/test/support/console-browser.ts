import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { overflowsSideways, screenshot, seriousA11yFindings } from './page-checks.js';

export const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

/** A browser on the console, signed in, recording what went wrong on the page. */
export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  consoleErrors: string[];
  requestedUrls: string[];
  close(): Promise<void>;
}

export async function openConsoleBrowser(executablePath: string): Promise<ConsoleBrowser> {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    throw new Error(`the console is not built (${distDir}): run npm run build first`);
  }
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const b: ConsoleBrowser = {
    browser,
    context,
    page,
    pageErrors: [],
    consoleErrors: [],
    requestedUrls: [],
    close: () => browser.close(),
  };
  page.on('pageerror', (e) => b.pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') b.consoleErrors.push(m.text());
  });
  page.on('request', (r) => b.requestedUrls.push(r.url()));
  return b;
}

export async function signIn(page: Page, url: string, key: string): Promise<void> {
  await page.goto(`${url}/console/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

/** Follows a link of the console's navigation and waits for the page's heading. */
export async function go(page: Page, link: string, heading: string | RegExp): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Console' })
    .getByRole('link', { name: link, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** axe finds nothing serious or critical, then the page is photographed. */
export async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousA11yFindings(page), name).toEqual([]);
  await screenshot(page, name);
}

/**
 * Each page at a phone's width in dark colours: nothing scrolls sideways but tables in their own
 * box, axe finds nothing serious; photographed as `<name>-phone`. Leaves the viewport at 1280×800.
 */
export async function checkPhonePages(
  page: Page,
  url: string,
  pages: [name: string, route: string, heading: RegExp][],
): Promise<{ overflowing: string[]; findings: string[] }> {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  const overflowing: string[] = [];
  const findings: string[] = [];
  try {
    for (const [name, route, heading] of pages) {
      await page.goto(`${url}/console${route}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      if (await overflowsSideways(page)) overflowing.push(name);
      findings.push(...(await seriousA11yFindings(page)).map((f) => `${name}: ${f}`));
      await screenshot(page, `${name}-phone`);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
  }
  return { overflowing, findings };
}

/** No script error or refused resource (CSP) happened, and the key never went into a URL. */
export function expectCleanRun(b: ConsoleBrowser, key: string): void {
  expect(b.pageErrors).toEqual([]);
  expect(b.consoleErrors.filter((e) => /Content.Security.Policy|Refused to/i.test(e))).toEqual([]);
  expect(b.requestedUrls.filter((u) => u.includes(key))).toEqual([]);
}
