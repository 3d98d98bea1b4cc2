import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client.js';
import type { AuditAction } from '../api/types.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { ScrollTable } from '../components/scroll-table.js';
import { formatTime } from '../format/time.js';
import { AuditTarget } from './audit-target.js';

const actions = [
  'project.create',
  'key.create',
  'key.revoke',
  'key.rotate',
  'model.create',
  'model.delete',
  'version.upload',
  'version.pull',
  'pull.cancel',
  'version.update',
  'alias.set',
  'alias.delete',
  'dataset.create',
  'dataset.delete',
  'deployment.create',
  'deployment.update',
  'deployment.delete',
  'deployment.scale',
  'rollout.start',
  'rollout.step',
  'rollout.breach',
  'rollout.pause',
  'rollout.resume',
  'rollout.promote',
  'rollout.abort',
  'rollout.rollback',
  'rollout.succeed',
  'rollout.fail',
  'price.set',
  'price.delete',
  'budget.set',
  'budget.delete',
  'training.create',
  'training.cancel',
] as const satisfies readonly AuditAction[];
// The list above must name every action the API takes; this fails to compile when one is missing.
const everyAction: Exclude<AuditAction, (typeof actions)[number]> extends never ? true : never = true;
void everyAction;

const PAGE = 50;

/** The project's management actions, newest first; filter by action, page back in time. */
export function Audit() {
  const [action, setAction] = useState<AuditAction | ''>('');
  /** Cursors of the pages before this one; the last is this page's. */
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors[cursors.length - 1];
  const page = useQuery({
    queryKey: ['audit', action, before],
    queryFn: () =>
      call(
        api.GET('/api/v1/audit', {
          params: { query: { limit: PAGE, ...(action ? { action } : {}), ...(before ? { before } : {}) } },
        }),
      ),
  });
  const nextCursor = page.data?.nextCursor ?? null;
  return (
    <Page title="Audit log">
      <section className="card" aria-label="Filter">
        <form className="form-row" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="audit-action">Action</label>
            <select
              id="audit-action"
              value={action}
              onChange={(e) => {
                setAction(e.target.value as AuditAction | '');
                setCursors([]);
              }}
            >
              <option value="">every action</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </div>
          <div className="actions">
            <button
              type="button"
              className="secondary"
              disabled={cursors.length === 0}
              onClick={() => setCursors([])}
            >
              Newest
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!nextCursor}
              onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}
            >
              Older
            </button>
          </div>
        </form>
      </section>
      {page.error ? <ErrorNotice error={page.error} action="read the audit log" /> : null}
      <div className="card">
        <ScrollTable label="Audit events">
          <caption>Audit events{action ? `: ${action}` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Key</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {page.data?.data.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  Nothing recorded.
                </td>
              </tr>
            ) : null}
            {page.data?.data.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td>{formatTime(e.createdAt)}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td className="mono">
                  <AuditTarget action={e.action} target={e.target} />
                </td>
                <td className="mono">{e.key ?? '—'}</td>
                <td className="mono">{Object.keys(e.detail).length > 0 ? JSON.stringify(e.detail) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </div>
    </Page>
  );
}
