import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageEventsTable } from '../../server/src/platform/db/index.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { chromiumOrNull } from './support/chromium.js';
import { type ConsoleBrowser, checkPage, go, openConsoleBrowser, signIn } from './support/console-browser.js';

const browserPath = chromiumOrNull();
const ROWS = 10_000;
const KEYS = 25;
const DAYS = 5;

interface Bucket {
  project?: string;
  key?: string;
  model?: string;
  version?: number;
  day?: string;
  requests: number;
  errors: number;
  cost: number;
}
interface Report {
  data: Bucket[];
  nextCursor: string | null;
}

/** Row i: key i % 25, model alpha/beta alternating, versions 1 and 2, 2,000 rows a day for 5 days. */
function ledgerRow(projectId: string, i: number): Insertable<UsageEventsTable> {
  const day = Math.floor(i / (ROWS / DAYS));
  const finished = new Date(Date.UTC(2026, 10, 1 + day, 8) + (i % (ROWS / DAYS)) * 1000).toISOString();
  return {
    request_id: `req_load${String(i).padStart(5, '0')}`,
    client_request_id: null,
    project_id: projectId,
    key_id: `key_load${String(i % KEYS).padStart(2, '0')}`,
    model: i % 2 === 0 ? 'alpha' : 'beta',
    deployment: i % 2 === 0 ? 'alpha' : 'beta',
    version: 1 + (Math.floor(i / 2) % 2),
    endpoint: 'oip.infer',
    status: i % 100 === 0 ? 500 : 200,
    error_code: i % 100 === 0 ? 'runner_failed' : null,
    tokens_in: 3,
    tokens_out: 0,
    queue_ms: 0.5,
    compute_ms: 2,
    cost_nanos: 1_000_000,
    started_at: finished,
    finished_at: finished,
  };
}

describe.skipIf(!browserPath)('a usage page over 10,000 ledger rows', { timeout: 120_000 }, () => {
  let t: TestServer;
  let b: ConsoleBrowser;
  const report = async (query: string): Promise<Report> => {
    const res = await t.fetch(`/api/v1/usage?${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Report;
  };

  beforeAll(async () => {
    [t, b] = await Promise.all([startTestServer(), openConsoleBrowser(browserPath as string)]);
    const projectId = t.server.bootstrap.projectId;
    const rows = Array.from({ length: ROWS }, (_, i) => ledgerRow(projectId, i));
    await t.server.platform.store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('usage_events')
          .values(rows.slice(i, i + 500))
          .execute();
      }
    });
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('sums in the store and pages the groups with limit and cursor', async () => {
    const [all] = (await report('groupBy=project')).data;
    expect(all).toMatchObject({
      project: t.server.bootstrap.projectId,
      requests: ROWS,
      errors: 100,
      cost: 10,
    });
    expect((await report('groupBy=model,version')).data).toEqual(
      [
        ['alpha', 1],
        ['alpha', 2],
        ['beta', 1],
        ['beta', 2],
      ].map(([model, version]) => expect.objectContaining({ model, version, requests: ROWS / 4 })),
    );
    // 25 keys × 5 days = 125 groups of 80 rows: a page of 100, then the last 25.
    const first = await report('groupBy=key,day&limit=100');
    expect(first.data).toHaveLength(100);
    expect(first.nextCursor).not.toBeNull();
    const last = await report(`groupBy=key,day&limit=100&cursor=${first.nextCursor}`);
    expect(last.data).toHaveLength(25);
    expect(last.nextCursor).toBeNull();
    const groups = [...first.data, ...last.data];
    expect(new Set(groups.map((g) => `${g.key}|${g.day}`)).size).toBe(KEYS * DAYS);
    expect(groups.every((g) => g.requests === ROWS / (KEYS * DAYS))).toBe(true);
    expect(groups[0]).toMatchObject({ key: 'key_load00', day: '2026-11-01' });
    expect(groups.at(-1)).toMatchObject({ key: `key_load${KEYS - 1}`, day: '2026-11-05' });
    for (const bad of ['limit=0', 'limit=1001', 'cursor=next', 'cursor=-1']) {
      const res = await t.fetch(`/api/v1/usage?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
  });

  it('shows the groups a page of 100 at a time in the browser', async () => {
    const { page } = b;
    await signIn(page, t.url, t.adminKey);
    await go(page, 'Usage', 'Usage');
    const rows = page.getByTestId('usage-row');
    const table = page.getByRole('table', { name: /Usage/ });
    // model × day: 10 groups, one page.
    await table.getByRole('cell', { name: '2026-11-05', exact: true }).first().waitFor();
    expect(await rows.count()).toBe(2 * DAYS);
    const next = page.getByRole('button', { name: 'Next page' });
    expect(await next.isDisabled()).toBe(true);
    // key × model × day: 250 groups, pages of 100, 100 and 50.
    await page.getByRole('checkbox', { name: 'key', exact: true }).check();
    await table.getByText('groups 1–100').waitFor();
    await expect.poll(() => rows.count()).toBe(100);
    await next.click();
    await table.getByText('groups 101–200').waitFor();
    await next.click();
    await table.getByText('groups 201–250').waitFor();
    await expect.poll(() => rows.count()).toBe(50);
    expect(await next.isDisabled()).toBe(true);
    await table
      .getByRole('cell', { name: `key_load${KEYS - 1}`, exact: true })
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Previous page' }).click();
    await table.getByText('groups 101–200').waitFor();
    // project and version: one project, two versions of each model.
    await page.getByRole('checkbox', { name: 'key', exact: true }).uncheck();
    await page.getByRole('checkbox', { name: 'day', exact: true }).uncheck();
    await page.getByRole('checkbox', { name: 'version', exact: true }).check();
    await page.getByRole('checkbox', { name: 'project', exact: true }).check();
    await expect.poll(() => rows.count()).toBe(4);
    expect(await table.getByRole('cell', { name: t.server.bootstrap.projectId, exact: true }).count()).toBe(
      4,
    );
    await checkPage(page, 'usage-10k');
    expect(b.pageErrors).toEqual([]);
  });
});
