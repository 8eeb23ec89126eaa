import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import type { TokenRefresher } from './token-refresher';
import type { TokenStore } from './token-store';

interface Session {
  readonly store: TokenStore;
  readonly refresher: TokenRefresher;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ store, refresher, children }: Session & { readonly children: ReactNode }) {
  return <SessionContext.Provider value={{ store, refresher }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession needs a SessionProvider above it');
  return session;
}

/** Re-renders when the user signs in or out, or when the session ends on its own (a refused refresh). */
export function useHasSession(): boolean {
  const { store } = useSession();
  return useSyncExternalStore(store.subscribe, store.hasSession);
}
