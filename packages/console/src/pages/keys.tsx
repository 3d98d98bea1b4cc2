import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSignedIn } from '../access/signed-in.js';
import { api, call } from '../api/client.js';
import type { ApiKey } from '../api/types.js';
import { ErrorNotice, NeedsScope } from '../components/notice.js';
import { Page } from '../components/page.js';
import { ScrollTable } from '../components/scroll-table.js';
import { StatusBadge } from '../components/status-badge.js';
import { formatTime } from '../format/time.js';
import { CreateKeyForm } from './create-key-form.js';
import { KeyBudgets, limitsText, RotateButton } from './key-actions.js';
import { ProjectsPanel } from './projects-panel.js';

function stateOf(key: ApiKey): string {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

/** Revoking asks once more in place (no dialog), and names the key it revokes. */
function RevokeButton({ apiKey, self }: { apiKey: ApiKey; self: boolean }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => call(api.DELETE('/api/v1/keys/{id}', { params: { path: { id: apiKey.id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['keys'] }),
  });
  if (revoke.error) return <ErrorNotice error={revoke.error} action="revoke this key" />;
  if (!confirming) {
    return (
      <button
        type="button"
        className="danger"
        onClick={() => setConfirming(true)}
        aria-label={`Revoke ${apiKey.name}`}
      >
        Revoke
      </button>
    );
  }
  return (
    <span className="actions">
      <button type="button" className="danger" onClick={() => revoke.mutate()} disabled={revoke.isPending}>
        {self ? 'Revoke the key you use' : `Revoke ${apiKey.name} now`}
      </button>
      <button type="button" className="secondary" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  );
}

/** The project's keys: create (secret shown once), revoke; and the organization's projects. */
export function Keys() {
  const { self, can } = useSignedIn();
  const keys = useQuery({ queryKey: ['keys'], queryFn: () => call(api.GET('/api/v1/keys')) });
  return (
    <Page title="Keys and projects">
      {keys.error ? <ErrorNotice error={keys.error} action="list keys" /> : null}
      {can.admin ? <CreateKeyForm callerScopes={self.scopes} /> : null}
      <div className="card">
        <ScrollTable label="Keys">
          <caption>Keys of this project</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Scopes</th>
              <th scope="col">Models</th>
              <th scope="col">Limits</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
              <th scope="col">Last used</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data?.data.map((k) => {
              const state = stateOf(k);
              return (
                <tr key={k.id} data-key-name={k.name}>
                  <td>{k.name}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>{k.models?.join(', ') ?? 'all'}</td>
                  <td>{limitsText(k)}</td>
                  <td>{formatTime(k.expiresAt)}</td>
                  <td>
                    <StatusBadge state={state} />
                  </td>
                  <td>{formatTime(k.lastUsedAt)}</td>
                  <td>{formatTime(k.createdAt)}</td>
                  <td>
                    {state === 'revoked' ? null : (
                      <span className="actions">
                        <RotateButton apiKey={k} />
                        <RevokeButton apiKey={k} self={k.id === self.id} />
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </ScrollTable>
      </div>
      {can.admin && keys.data ? <KeyBudgets keys={keys.data.data} /> : null}
      {can.orgAdmin ? (
        <ProjectsPanel current={self.project} />
      ) : (
        <NeedsScope scope="org_admin">Projects are hidden:</NeedsScope>
      )}
    </Page>
  );
}
