import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A SessionEvent as the subscription document below reads it. */
export interface SessionEventData {
  readonly type: 'REVOKED' | 'ROLE_CHANGED' | 'TOKEN_EXPIRING';
  readonly sessionId: string;
  readonly reason: string | null;
  readonly role: string | null;
  readonly expiresAt: string | null;
}

export const SESSION_EVENTS = 'subscription Events { sessionEvents { type sessionId reason role expiresAt } }';

export interface SocketClose {
  readonly code: number;
  readonly reason: string;
  /** performance.now() when the client saw the close. */
  readonly at: number;
}

export interface SessionEventsSubscription {
  readonly events: SessionEventData[];
  /** Errors the server answered the subscription with (a GraphQL error, not a close). */
  readonly errors: unknown[];
  /** Resolves when the socket closes, with the code the server chose. */
  readonly closed: Promise<SocketClose>;
  /** Resolves with the first event of `type` (already received or still to come). */
  nextEvent(type: SessionEventData['type']): Promise<SessionEventData>;
  dispose(): Promise<void>;
}

/**
 * Subscribes to `sessionEvents` on `httpUrl`'s /graphql with a real graphql-ws client over a real
 * WebSocket, the access token in connection_init. Resolves once the server acknowledged the connection
 * (or the socket closed before that: see `closed`). No retries: a close is what the tests assert on.
 */
export async function subscribeToSessionEvents(httpUrl: string, accessToken: string | null, document = SESSION_EVENTS): Promise<SessionEventsSubscription> {
  const events: SessionEventData[] = [];
  const errors: unknown[] = [];
  const waiters: { type: SessionEventData['type']; resolve: (event: SessionEventData) => void }[] = [];
  let onClosed: (close: SocketClose) => void = () => undefined;
  const closed = new Promise<SocketClose>((resolve) => {
    onClosed = resolve;
  });
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: accessToken === null ? {} : { authorization: `Bearer ${accessToken}` },
    retryAttempts: 0,
    lazy: false,
    // The close that ends a non-lazy client is reported through `closed`; graphql-ws would also console.error it.
    onNonLazyError: () => undefined,
    on: {
      connected: () => onReady(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason, at: performance.now() });
        onReady();
      },
    },
  });
  client.subscribe<{ sessionEvents: SessionEventData }>(
    { query: document },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        const event = result.data?.sessionEvents;
        if (!event) return;
        events.push(event);
        for (const waiter of waiters.filter((candidate) => candidate.type === event.type)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      },
      // GraphQL errors arrive as an array; a close arrives as its CloseEvent, which `closed` reports.
      error: (error) => {
        if (Array.isArray(error)) errors.push(...(error as unknown[]));
      },
      complete: () => undefined,
    },
  );
  await ready;
  return {
    events,
    errors,
    closed,
    nextEvent: (type) => {
      const seen = events.find((event) => event.type === type);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ type, resolve }));
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}
