import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSignedIn } from '../access/signed-in.js';
import { ApiError } from '../api/api-error.js';
import { api, call } from '../api/client.js';
import { ErrorNotice, NeedsScope } from '../components/notice.js';
import { Page } from '../components/page.js';
import { ScrollTable } from '../components/scroll-table.js';
import { formatCount, formatMoney } from '../format/numbers.js';
import { BudgetBurnDown } from './budget-burn-down.js';
import { UsageChart } from './usage-chart.js';

type Dimension = 'project' | 'key' | 'model' | 'version' | 'day';
/** The report's groupings, in the order the table's columns show them. */
const dimensions: Dimension[] = ['project', 'key', 'model', 'version', 'day'];
/** Groups per page: the server sums and pages, the browser holds one page. */
const PAGE = 100;

/** A `yyyy-mm-dd` day as the instant it starts (UTC); the report's days are UTC days. */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!day) return undefined;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : new Date(t + plusDays * 86_400_000).toISOString();
}

/** Saves the ledger rows of the range as CSV (fetched with the key, so no key in a link). */
async function downloadCsv(from: string | undefined, to: string | undefined): Promise<void> {
  const { data, error, response } = await api.GET('/api/v1/usage/export', {
    params: { query: { ...(from ? { from } : {}), ...(to ? { to } : {}) } },
    parseAs: 'blob',
  });
  if (!response.ok || !data) throw ApiError.from(response, error);
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = 'usage.csv';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The usage report: requests, errors, tokens, compute and cost, grouped by project, key, model, version and/or day. */
export function Usage() {
  const { can } = useSignedIn();
  const [group, setGroup] = useState<Dimension[]>(['model', 'day']);
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const [downloadError, setDownloadError] = useState<unknown>(null);
  /** Cursors of the pages before this one; the last is this page's. */
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const from = dayStart(fromDay);
  const to = dayStart(toDay, 1);
  const groupBy = dimensions.filter((d) => group.includes(d));
  const report = useQuery({
    queryKey: ['usage', 'report', groupBy.join(','), from, to, cursor],
    enabled: groupBy.length > 0,
    queryFn: () =>
      call(
        api.GET('/api/v1/usage', {
          params: {
            query: {
              groupBy: groupBy.join(','),
              limit: PAGE,
              ...(cursor ? { cursor } : {}),
              ...(from ? { from } : {}),
              ...(to ? { to } : {}),
            },
          },
        }),
      ),
  });
  const rows = report.data?.data ?? [];
  const nextCursor = report.data?.nextCursor ?? null;
  const paged = cursors.length > 0 || nextCursor !== null;
  const total = rows.reduce(
    (t, r) => ({
      requests: t.requests + r.requests,
      errors: t.errors + r.errors,
      tokensIn: t.tokensIn + r.tokensIn,
      tokensOut: t.tokensOut + r.tokensOut,
      computeMs: t.computeMs + r.computeMs,
      cost: t.cost + r.cost,
    }),
    { requests: 0, errors: 0, tokensIn: 0, tokensOut: 0, computeMs: 0, cost: 0 },
  );
  const download = () => {
    setDownloadError(null);
    downloadCsv(from, to).catch(setDownloadError);
  };
  return (
    <Page
      title="Usage"
      actions={
        <button type="button" className="secondary" onClick={download}>
          Download CSV
        </button>
      }
    >
      {downloadError ? <ErrorNotice error={downloadError} action="export usage" /> : null}
      <section className="card" aria-label="Filters">
        <form className="form-row" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="usage-from">From (UTC day)</label>
            <input
              id="usage-from"
              type="date"
              value={fromDay}
              onChange={(e) => {
                setFromDay(e.target.value);
                setCursors([]);
              }}
            />
          </div>
          <div className="field">
            <label htmlFor="usage-to">To (UTC day, included)</label>
            <input
              id="usage-to"
              type="date"
              value={toDay}
              onChange={(e) => {
                setToDay(e.target.value);
                setCursors([]);
              }}
            />
          </div>
          <fieldset>
            <legend>Group by</legend>
            <div className="checks">
              {dimensions.map((d) => (
                <label key={d}>
                  <input
                    type="checkbox"
                    checked={group.includes(d)}
                    onChange={(e) => {
                      setGroup((g) => (e.target.checked ? [...g, d] : g.filter((x) => x !== d)));
                      setCursors([]);
                    }}
                  />
                  {d}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="actions">
            <button
              type="button"
              className="secondary"
              disabled={cursors.length === 0}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              Previous page
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!nextCursor}
              onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}
            >
              Next page
            </button>
          </div>
        </form>
      </section>
      {can.admin ? (
        <BudgetBurnDown />
      ) : (
        <NeedsScope scope="admin">The budget burn-down is hidden:</NeedsScope>
      )}
      {report.error ? <ErrorNotice error={report.error} action="read usage" /> : null}
      {groupBy.length === 0 ? <p className="muted">Choose at least one grouping.</p> : null}
      {groupBy.includes('day') && rows.length > 0 ? <UsageChart rows={rows} /> : null}
      <div className="card">
        <ScrollTable label="Usage">
          <caption>
            Usage{from || to ? '' : ', all time'}
            {paged ? `, groups ${cursors.length * PAGE + 1}–${cursors.length * PAGE + rows.length}` : ''}
          </caption>
          <thead>
            <tr>
              {groupBy.map((d) => (
                <th key={d} scope="col">
                  {d}
                </th>
              ))}
              {['Requests', 'Errors', 'Tokens in', 'Tokens out', 'Compute ms', 'Cost'].map((h) => (
                <th key={h} scope="col" className="num">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.data && rows.length === 0 ? (
              <tr>
                <td colSpan={groupBy.length + 6} className="muted">
                  No requests in this range.
                </td>
              </tr>
            ) : null}
            {rows.map((r) => (
              <tr key={groupBy.map((d) => r[d]).join('|')} data-testid="usage-row">
                {groupBy.map((d) => (
                  <td key={d} className={d === 'key' || d === 'project' ? 'mono' : undefined}>
                    {r[d]}
                  </td>
                ))}
                <td className="num">{formatCount(r.requests)}</td>
                <td className="num">{formatCount(r.errors)}</td>
                <td className="num">{formatCount(r.tokensIn)}</td>
                <td className="num">{formatCount(r.tokensOut)}</td>
                <td className="num">{formatCount(Math.round(r.computeMs))}</td>
                <td className="num">{formatMoney(r.cost)}</td>
              </tr>
            ))}
          </tbody>
          {rows.length > 1 ? (
            <tfoot>
              <tr>
                <th scope="row" colSpan={groupBy.length}>
                  {paged ? 'Total of this page' : 'Total'}
                </th>
                <td className="num">{formatCount(total.requests)}</td>
                <td className="num">{formatCount(total.errors)}</td>
                <td className="num">{formatCount(total.tokensIn)}</td>
                <td className="num">{formatCount(total.tokensOut)}</td>
                <td className="num">{formatCount(Math.round(total.computeMs))}</td>
                <td className="num">{formatMoney(total.cost)}</td>
              </tr>
            </tfoot>
          ) : null}
        </ScrollTable>
      </div>
    </Page>
  );
}
