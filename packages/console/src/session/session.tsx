import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ApiError } from '../api/api-error.js';
import { api, call } from '../api/client.js';
import { onKeyRefused, queryClient } from '../api/query-client.js';
import type { ApiKey } from '../api/types.js';
import { type Abilities, abilitiesOf } from './abilities.js';
import { forgetKey, storedKey, storeKey } from './key-store.js';

export interface Session {
  self: ApiKey;
  can: Abilities;
  signOut(reason?: string): void;
}

type State =
  | { status: 'checking' }
  | { status: 'signed-out'; reason: string | null }
  | { status: 'signed-in'; self: ApiKey };

interface SessionControl {
  state: State;
  signIn(key: string): Promise<void>;
  signOut(reason?: string): void;
}

const SessionContext = createContext<SessionControl | null>(null);

function readSelf(key: string): Promise<ApiKey> {
  return call(api.GET('/api/v1/keys/self', { headers: { authorization: `Bearer ${key}` } }));
}

/** Holds who is signed in: the key (sessionStorage) and what the server says it is. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>(() =>
    storedKey() ? { status: 'checking' } : { status: 'signed-out', reason: null },
  );

  const signOut = useCallback((reason?: string) => {
    forgetKey();
    queryClient.clear();
    setState({ status: 'signed-out', reason: reason ?? null });
  }, []);

  const signIn = useCallback(async (key: string) => {
    const self = await readSelf(key);
    storeKey(key);
    setState({ status: 'signed-in', self });
  }, []);

  useEffect(() => {
    onKeyRefused((error: ApiError) => signOut(`The server refused the key: ${error.message}`));
    const key = storedKey();
    if (!key) return;
    readSelf(key).then(
      (self) => setState({ status: 'signed-in', self }),
      (error: ApiError) => signOut(error.message),
    );
  }, [signOut]);

  const control = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={control}>{children}</SessionContext.Provider>;
}

export function useSessionControl(): SessionControl {
  const control = useContext(SessionContext);
  if (!control) throw new Error('useSessionControl outside SessionProvider');
  return control;
}

/** The signed-in session; only pages behind sign-in call it. */
export function useSession(): Session {
  const { state, signOut } = useSessionControl();
  const self = state.status === 'signed-in' ? state.self : null;
  const session = useMemo(
    () => (self ? { self, can: abilitiesOf(self.scopes), signOut } : null),
    [self, signOut],
  );
  if (!session) throw new Error('useSession before sign-in');
  return session;
}
