import { type FormEvent, useEffect, useState } from 'react';
import { useSignIn } from '../access/signed-in.js';
import { ApiError } from '../api/api-error.js';

/** The API key is typed or pasted here, checked against the server, then kept in this tab only. */
export function SignIn({ reason }: { reason: string | null }) {
  const { signIn } = useSignIn();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Sign in · Modelport';
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
    } catch (err) {
      setError(err instanceof ApiError ? `${err.message} (${err.status} ${err.code})` : String(err));
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <h1>Modelport console</h1>
      <div className="card stack">
        {reason ? (
          <div className="notice" role="status">
            <p>{reason}</p>
          </div>
        ) : null}
        {/* POST: were the script to fail, the key would still never land in the address bar. */}
        <form method="post" onSubmit={submit} className="stack">
          <div className="field">
            <label htmlFor="api-key">API key</label>
            <input
              id="api-key"
              name="api-key"
              type="password"
              autoComplete="off"
              spellCheck={false}
              required
              placeholder="mpk_…"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              aria-describedby="api-key-hint"
            />
            <span id="api-key-hint" className="hint">
              Kept in this browser tab only (session storage) until you sign out or close the tab.
            </span>
          </div>
          {error ? (
            <div className="notice error" role="alert">
              <p>The key was refused: {error}</p>
            </div>
          ) : null}
          <button type="submit" disabled={busy || key.trim() === ''}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </form>
      </div>
      <p className="muted">
        The first start of the server prints an admin key once. The API itself is described at{' '}
        <a href="/docs">/docs</a>.
      </p>
    </main>
  );
}
