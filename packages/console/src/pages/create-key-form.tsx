import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client.js';
import type { Scope } from '../api/types.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorNotice } from '../components/notice.js';

const allScopes: { scope: Scope; meaning: string }[] = [
  { scope: 'infer', meaning: 'call models' },
  { scope: 'manage', meaning: 'models, deployments, usage' },
  { scope: 'admin', meaning: 'keys, budgets, audit log of the project' },
  { scope: 'metrics', meaning: 'Prometheus metrics' },
  { scope: 'org_admin', meaning: 'every project of the organization' },
];

/** Only an org_admin key may grant what reaches beyond the project (the server enforces it too). */
const organizationScopes: readonly Scope[] = ['metrics', 'org_admin'];

/** A new key of this project; its secret is shown once, here, with a copy button. */
export function CreateKeyForm({ callerScopes }: { callerScopes: readonly Scope[] }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['infer']);
  const [models, setModels] = useState('');
  const [expires, setExpires] = useState('');
  const [perMinute, setPerMinute] = useState('');
  const [tokensPerMinute, setTokensPerMinute] = useState('');
  const create = useMutation({
    mutationFn: () => {
      const list = models
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean);
      return call(
        api.POST('/api/v1/keys', {
          body: {
            name: name || 'key',
            scopes,
            models: list.length > 0 ? list : null,
            expiresAt: expires ? new Date(expires).toISOString() : null,
            limits:
              perMinute || tokensPerMinute
                ? {
                    ...(perMinute ? { requestsPerMinute: Number(perMinute) } : {}),
                    ...(tokensPerMinute ? { tokensPerMinute: Number(tokensPerMinute) } : {}),
                  }
                : null,
          },
        }),
      );
    },
    onSuccess: () => {
      setName('');
      return queryClient.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const toggle = (scope: Scope, on: boolean) =>
    setScopes((all) => (on ? [...all, scope] : all.filter((s) => s !== scope)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const orgAdmin = callerScopes.includes('org_admin');
  return (
    <section className="card stack" aria-labelledby="new-key">
      <h2 id="new-key">New key</h2>
      {create.data ? (
        <div className="notice success" role="status" data-testid="new-secret">
          <p>
            <strong>Key {create.data.name} created.</strong> Copy the secret now: it is shown only this once.
          </p>
          <div className="secret">
            <code>{create.data.key}</code>
            <CopyButton text={create.data.key} label="Copy secret" />
            <button type="button" className="secondary" onClick={() => create.reset()}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      {create.error ? <ErrorNotice error={create.error} action="create keys" /> : null}
      <form className="stack" onSubmit={submit}>
        <div className="form-row">
          <div className="field">
            <label htmlFor="key-name">Name</label>
            <input id="key-name" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field" style={{ flex: '1 1 220px' }}>
            <label htmlFor="key-models">
              Models <span className="hint">comma-separated; empty: every model</span>
            </label>
            <input id="key-models" value={models} onChange={(e) => setModels(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="key-expires">
              Expires <span className="hint">optional</span>
            </label>
            <input
              id="key-expires"
              type="datetime-local"
              value={expires}
              onChange={(e) => setExpires(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="key-rpm">
              Requests/min <span className="hint">optional</span>
            </label>
            <input
              id="key-rpm"
              type="number"
              min={1}
              value={perMinute}
              onChange={(e) => setPerMinute(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="key-tpm">
              Tokens/min <span className="hint">optional</span>
            </label>
            <input
              id="key-tpm"
              type="number"
              min={1}
              value={tokensPerMinute}
              onChange={(e) => setTokensPerMinute(e.target.value)}
            />
          </div>
        </div>
        <fieldset>
          <legend>Scopes</legend>
          <div className="checks">
            {allScopes.map(({ scope, meaning }) => {
              const grantable = orgAdmin || !organizationScopes.includes(scope);
              return (
                <label key={scope}>
                  <input
                    type="checkbox"
                    checked={scopes.includes(scope)}
                    disabled={!grantable}
                    onChange={(e) => toggle(scope, e.target.checked)}
                  />
                  <code>{scope}</code> <span className="muted">{meaning}</span>
                </label>
              );
            })}
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={create.isPending || scopes.length === 0}>
            Create key
          </button>
        </div>
      </form>
    </section>
  );
}
