import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client.js';
import type { ApiKey } from '../api/types.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorNotice } from '../components/notice.js';
import { formatMoney } from '../format/numbers.js';

/** A key's limits in one line. */
export function limitsText(k: ApiKey): string {
  const l = k.limits;
  if (!l) return 'none';
  const parts = [
    l.requestsPerMinute ? `${l.requestsPerMinute} req/min` : null,
    l.tokensPerMinute ? `${l.tokensPerMinute} tokens/min` : null,
    l.concurrent ? `${l.concurrent} at once` : null,
    l.models ? `${Object.keys(l.models).length} per-model` : null,
  ].filter(Boolean);
  return parts.join(', ') || 'none';
}

/** A new secret for the key; the old one keeps working for the grace period (a day). */
export function RotateButton({ apiKey }: { apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const rotate = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/keys/{id}/rotate', { params: { path: { id: apiKey.id } }, body: {} })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['keys'] }),
  });
  if (rotate.data) {
    return (
      <div className="notice success" role="status" data-testid="rotated-secret">
        <p>New secret of {apiKey.name}, shown once; the old one works for a day more:</p>
        <div className="secret">
          <code>{rotate.data.key}</code> <CopyButton text={rotate.data.key} label="Copy new secret" />
        </div>
      </div>
    );
  }
  return (
    <>
      <button type="button" className="secondary" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
        Rotate {apiKey.name}
      </button>
      {rotate.error ? <ErrorNotice error={rotate.error} action="rotate keys" /> : null}
    </>
  );
}

type Period = 'day' | 'week' | 'month' | 'never';

/** Spending limits of single keys (`PUT /api/v1/budgets/keys/{id}`), beside the project's. */
export function KeyBudgets({ keys }: { keys: ApiKey[] }) {
  const queryClient = useQueryClient();
  const budgets = useQuery({ queryKey: ['budgets', 'all'], queryFn: () => call(api.GET('/api/v1/budgets')) });
  const live = keys.filter((k) => !k.revokedAt);
  const [keyId, setKeyId] = useState('');
  const [limit, setLimit] = useState(10);
  const [period, setPeriod] = useState<Period>('month');
  const chosen = keyId || live[0]?.id || '';
  const set = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/api/v1/budgets/keys/{id}', { params: { path: { id: chosen } }, body: { limit, period } }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['budgets'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) set.mutate();
  };
  const ofKeys = budgets.data?.data.filter((b) => b.scope === 'key') ?? [];
  const name = (id: string) => keys.find((k) => k.id === id)?.name ?? id;
  return (
    <section className="card stack" aria-labelledby="key-budgets-title">
      <h2 id="key-budgets-title">Key budgets</h2>
      {budgets.error ? <ErrorNotice error={budgets.error} action="read budgets" /> : null}
      <ul data-testid="key-budgets">
        {ofKeys.length === 0 ? <li className="muted">No key has its own budget.</li> : null}
        {ofKeys.map((b) => (
          <li key={b.id}>
            {name(b.target)}: {formatMoney(b.spent)} of {formatMoney(b.limit)} per {b.period}
          </li>
        ))}
      </ul>
      <form className="form-row" onSubmit={submit}>
        <div className="field">
          <label htmlFor="budget-key">Key</label>
          <select id="budget-key" value={chosen} onChange={(e) => setKeyId(e.target.value)}>
            {live.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="budget-limit">Limit</label>
          <input
            id="budget-limit"
            type="number"
            min={0}
            step="any"
            value={limit}
            onChange={(e) => setLimit(Number(e.target.value))}
          />
        </div>
        <div className="field">
          <label htmlFor="budget-period">Per</label>
          <select id="budget-period" value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
            {(['day', 'week', 'month', 'never'] as const).map((p) => (
              <option key={p} value={p}>
                {p === 'never' ? 'ever (no reset)' : p}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={!chosen || set.isPending}>
          Set budget
        </button>
      </form>
      {set.error ? <ErrorNotice error={set.error} action="set budgets" /> : null}
    </section>
  );
}
