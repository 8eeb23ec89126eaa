import type { SessionFieldsFragment } from '../gql/graphql';

const REFRESH_TOKEN_KEY = 'gatehouse.refreshToken';

/** The part of the Web Storage API the store uses (window.sessionStorage in the app). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The tokens of the signed-in session, and who is listening for changes (React, the Apollo cache).
 *
 * The access token lives in memory only: nothing persistent ever holds it, and it dies with the page;
 * a reload gets a fresh one from the refresh token. The refresh token is also kept in sessionStorage,
 * so reloading the tab does not sign the user out, but it stays in this tab and ends with it:
 * localStorage would keep it on disk indefinitely and share it with every tab, whose concurrent
 * refreshes would spend one rotating token twice and end the session (reuse detection). A script
 * injected into the page could still read it: keeping the app free of XSS is what protects it.
 */
export class TokenStore {
  private accessToken: string | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: KeyValueStorage) {}

  get currentAccessToken(): string | null {
    return this.accessToken;
  }

  get currentRefreshToken(): string | null {
    return this.storage.getItem(REFRESH_TOKEN_KEY);
  }

  /** Signed in as far as this tab knows: a refresh token is held (the access token may be missing or stale). */
  readonly hasSession = (): boolean => this.currentRefreshToken !== null;

  save(session: Pick<SessionFieldsFragment, 'accessToken' | 'refreshToken'>): void {
    this.accessToken = session.accessToken;
    this.storage.setItem(REFRESH_TOKEN_KEY, session.refreshToken);
    this.notify();
  }

  clear(): void {
    this.accessToken = null;
    this.storage.removeItem(REFRESH_TOKEN_KEY);
    this.notify();
  }

  /** For React's useSyncExternalStore: returns the unsubscribe function. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
