import type { Client } from 'pg';

/** What a LISTEN hands on: each payload, and a call after a reconnect (notifications sent meanwhile were lost). */
export interface NotificationHandlers {
  readonly onPayload: (payload: string) => void;
  readonly onReconnect: () => void;
  readonly onError: (error: unknown) => void;
}

export interface NotificationListener {
  close(): Promise<void>;
}

const RECONNECT_DELAYS_MILLISECONDS = [100, 500, 1_000, 2_000, 5_000];

/**
 * LISTEN on a dedicated connection of its own (a pooled one would be handed to a request, and a LISTEN
 * ends with its connection). A lost connection is opened again with back-off, and `onReconnect` runs so
 * the caller can re-read what it may have missed: NOTIFY delivers only to whoever listens at commit.
 */
export async function listenOnPostgres(url: string, channel: string, handlers: NotificationHandlers): Promise<NotificationListener> {
  const { Client } = await import('pg');
  let client: Client | null = null;
  let isClosed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const next = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.onPayload(message.payload);
    });
    next.on('error', (error) => {
      handlers.onError(error);
      reconnectLater(next);
    });
    next.on('end', () => reconnectLater(next));
    client = next;
    await next.connect();
    // The channel is a constant of ours, never input: quoting it as an identifier is enough.
    await next.query(`LISTEN "${channel}"`);
    failures = 0;
  };

  const reconnectLater = (lost: Client): void => {
    if (isClosed || client !== lost || retry !== null) return;
    client = null;
    lost.end().catch(() => undefined);
    const delay = RECONNECT_DELAYS_MILLISECONDS[Math.min(failures, RECONNECT_DELAYS_MILLISECONDS.length - 1)];
    failures += 1;
    retry = setTimeout(() => {
      retry = null;
      connect().then(handlers.onReconnect, (error: unknown) => {
        handlers.onError(error);
        if (client) reconnectLater(client);
      });
    }, delay);
    retry.unref();
  };

  await connect();
  return {
    close: async () => {
      isClosed = true;
      if (retry) clearTimeout(retry);
      const open = client;
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}
