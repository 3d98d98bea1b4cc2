import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ApiError } from '../api/api-error.js';
import { api, call } from '../api/client.js';
import { onKeyRefused, queryClient } from '../api/query-client.js';
import type { ApiKey } from '../api/types.js';
import { type Abilities, abilitiesOf } from './abilities.js';
import { forgetKey, storedKey, storeKey } from './key-store.js';

export interface SignedIn {
  self: ApiKey;
  can: Abilities;
  signOut(reason?: string): void;
}

type State =
  | { status: 'checking' }
  | { status: 'signed-out'; reason: string | null }
  | { status: 'signed-in'; self: ApiKey };

interface SignInControl {
  state: State;
  signIn(key: string): Promise<void>;
  signOut(reason?: string): void;
}

const SignInContext = createContext<SignInControl | null>(null);

function readSelf(key: string): Promise<ApiKey> {
  return call(api.GET('/api/v1/keys/self', { headers: { authorization: `Bearer ${key}` } }));
}

/** Holds who is signed in: the key (sessionStorage) and what the server says it is. */
export function SignInProvider({ children }: { children: ReactNode }) {
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
  return <SignInContext.Provider value={control}>{children}</SignInContext.Provider>;
}

export function useSignIn(): SignInControl {
  const control = useContext(SignInContext);
  if (!control) throw new Error('useSignIn outside SignInProvider');
  return control;
}

/** Who is signed in, and what the key may do; only pages behind sign-in call it. */
export function useSignedIn(): SignedIn {
  const { state, signOut } = useSignIn();
  const self = state.status === 'signed-in' ? state.self : null;
  const signedIn = useMemo(
    () => (self ? { self, can: abilitiesOf(self.scopes), signOut } : null),
    [self, signOut],
  );
  if (!signedIn) throw new Error('useSignedIn before sign-in');
  return signedIn;
}
