import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import { SessionEventsDocument } from '../gql/graphql';
import type { TokenRefresher } from './token-refresher';
import type { TokenStore } from './token-store';

/** Gatehouse's close codes for `sessionEvents` (README, "Live session events"). */
const UNAUTHORIZED = 4401;
const FORBIDDEN = 4403;
/** After a close for any other reason (network, a server restarting): try again, not in a tight loop. */
const RECONNECT_DELAY_MILLISECONDS = 2_000;

/**
 * Keeps one `sessionEvents` socket open for the tab's access token, so that a session ended elsewhere
 * (log out everywhere, a password change, removal from the account) shows the login screen at once
 * instead of at the next request. REVOKED or a 4403 close end the session here; a 4401 close without
 * one (the access token expired) refreshes, and a refused refresh ends it. Returns the stop function.
 */
export function watchSessionEvents(store: TokenStore, refresher: TokenRefresher, graphqlUrl: string): () => void {
  const url = new URL(graphqlUrl, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let client: Client | null = null;
  let connectedWith: string | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const endSession = (token: string) => {
    if (store.currentAccessToken === token) store.clear();
  };

  const onClosed = (token: string, code: number) => {
    // A socket this tab has already replaced (a new token, a sign-out) says nothing about the session now.
    if (token !== connectedWith) return;
    if (code === FORBIDDEN) endSession(token);
    else if (code === UNAUTHORIZED) void refresher.replace(token).catch(() => undefined);
    else {
      connectedWith = null;
      retry = setTimeout(connect, RECONNECT_DELAY_MILLISECONDS);
    }
  };

  function connect(): void {
    const token = store.currentAccessToken;
    if (token === connectedWith) return;
    clearTimeout(retry);
    void client?.dispose();
    client = null;
    connectedWith = token;
    if (token === null) return;
    client = createClient({
      url: url.href,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
      on: { closed: (event) => onClosed(token, (event as CloseEvent).code) },
    });
    client.subscribe<{ sessionEvents: { type: string } }>(
      { query: print(SessionEventsDocument) },
      {
        next: ({ data }) => {
          if (data?.sessionEvents.type === 'REVOKED') endSession(token);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }

  const unsubscribe = store.subscribe(connect);
  connect();
  return () => {
    unsubscribe();
    clearTimeout(retry);
    void client?.dispose();
  };
}
