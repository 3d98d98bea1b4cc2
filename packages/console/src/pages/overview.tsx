import { useSignedIn } from '../access/signed-in.js';
import type { Deployment } from '../api/types.js';
import { ErrorNotice, NeedsScope } from '../components/notice.js';
import { Page } from '../components/page.js';
import { ScrollTable } from '../components/scroll-table.js';
import { Tile } from '../components/tile.js';
import { formatCount, formatMoney, formatMs, formatPercent, formatRate } from '../format/numbers.js';
import { formatTime } from '../format/time.js';
import { useLedgerWindow } from '../live/use-ledger-window.js';
import { windowFigures } from '../live/window-figures.js';
import {
  useDeployments,
  useProjectBudget,
  useRecentAudit,
  useSpendToday,
  useTopModels,
} from './overview-queries.js';

const WINDOW_MS = 60_000;

function runnerHealth(deployments: Deployment[]) {
  const instances = deployments.flatMap((d) => d.instances.filter((i) => i.fleet === 'current'));
  const ready = instances.filter((i) => i.state === 'ready').length;
  const down = deployments.filter((d) => d.status === 'down').length;
  return { ready, total: instances.length, down, deployments: deployments.length };
}

function TrafficTiles() {
  const ledger = useLedgerWindow(WINDOW_MS, true);
  if (ledger.error) return <ErrorNotice error={ledger.error} action="read the usage ledger" />;
  const f = ledger.data ? windowFigures(ledger.data.rows, WINDOW_MS) : null;
  const last = '(last 60 s)';
  return (
    <>
      <Tile
        label="Requests/s"
        value={f ? formatRate(f.perSecond) : '…'}
        detail={f ? `${f.requests} ${last}` : null}
      />
      <Tile
        label="Errors"
        value={f ? formatPercent(f.errorShare) : '…'}
        detail="status ≥ 400, last 60 s"
        bad={(f?.errorShare ?? 0) > 0.05}
      />
      <Tile
        label="Latency p50 / p95"
        value={f ? `${formatMs(f.p50)} / ${formatMs(f.p95)}` : '…'}
        detail="start to finish, last 60 s"
      />
      <Tile
        label="Tokens/s"
        value={f ? formatRate(f.tokensOutPerSecond) : '…'}
        detail={f ? `generated; prompt ${formatRate(f.tokensInPerSecond)}/s` : null}
      />
    </>
  );
}

function RunnerTile() {
  const deployments = useDeployments(true, 10_000);
  if (deployments.error) return <ErrorNotice error={deployments.error} action="list deployments" />;
  const h = deployments.data ? runnerHealth(deployments.data.data) : null;
  return (
    <Tile
      label="Runners ready"
      value={h ? `${h.ready} / ${h.total}` : '…'}
      detail={h ? `${h.deployments} deployments${h.down > 0 ? `, ${h.down} down` : ''}` : null}
      bad={h !== null && (h.down > 0 || h.ready < h.total)}
    />
  );
}

function SpendTile({ withBudget }: { withBudget: boolean }) {
  const spend = useSpendToday(true);
  const budget = useProjectBudget(withBudget);
  const b = budget.data;
  const detail = !withBudget
    ? 'budget: needs the admin scope'
    : b
      ? `budget ${formatMoney(b.limit)} per ${b.period}, ${formatMoney(b.spent)} spent`
      : 'no project budget set';
  return (
    <Tile
      label="Spend today (UTC)"
      value={spend.data === undefined ? '…' : formatMoney(spend.data)}
      detail={detail}
      bad={b ? b.remaining <= 0 : false}
    />
  );
}

function TopModels() {
  const top = useTopModels(true);
  if (top.error) return <ErrorNotice error={top.error} action="read usage" />;
  return (
    <ScrollTable label="Top models, last 24 hours">
      <caption>Top models, last 24 hours</caption>
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col" className="num">
            Requests
          </th>
          <th scope="col" className="num">
            Errors
          </th>
          <th scope="col" className="num">
            Tokens out
          </th>
        </tr>
      </thead>
      <tbody>
        {top.data?.length === 0 ? (
          <tr>
            <td colSpan={4} className="muted">
              No requests yet.
            </td>
          </tr>
        ) : null}
        {top.data?.map((m) => (
          <tr key={m.model}>
            <td>{m.model}</td>
            <td className="num">{formatCount(m.requests)}</td>
            <td className="num">{formatCount(m.errors)}</td>
            <td className="num">{formatCount(m.tokensOut)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

function RecentAudit() {
  const audit = useRecentAudit(true);
  if (audit.error) return <ErrorNotice error={audit.error} action="read the audit log" />;
  return (
    <ScrollTable label="Recent audit events">
      <caption>Recent audit events</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Action</th>
          <th scope="col">Target</th>
        </tr>
      </thead>
      <tbody>
        {audit.data?.data.length === 0 ? (
          <tr>
            <td colSpan={3} className="muted">
              Nothing recorded yet.
            </td>
          </tr>
        ) : null}
        {audit.data?.data.map((e) => (
          <tr key={e.id}>
            <td>{formatTime(e.createdAt)}</td>
            <td>
              <code>{e.action}</code>
            </td>
            <td className="mono">{e.target}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

/** Traffic of the last minute, runners, spend, the busiest models and the latest management actions. */
export function Overview() {
  const { can } = useSignedIn();
  return (
    <Page title="Overview">
      <div className="grid tiles">
        {can.usage ? <TrafficTiles /> : null}
        {can.read ? <RunnerTile /> : null}
        {can.usage ? <SpendTile withBudget={can.admin} /> : null}
      </div>
      {can.usage ? null : <NeedsScope scope="manage">Traffic and spend are hidden:</NeedsScope>}
      <div className="grid two">
        <div className="card">{can.usage ? <TopModels /> : <NeedsScope scope="manage" />}</div>
        <div className="card">
          {can.admin ? <RecentAudit /> : <NeedsScope scope="admin">Audit events are hidden:</NeedsScope>}
        </div>
      </div>
    </Page>
  );
}
