import type { Clock } from '../clock';
import type { Database } from '../database/open-database';
import type { Logger } from '../logger';
import type { BearerSession } from '../sessions/bearer-session.sql';
import { LiveConnections } from './live-connections';
import { parseSessionSignal, SESSION_SIGNAL_CHANNEL } from './session-signal';

export interface SessionEventsOptions {
  readonly database: Pick<Database, 'listen'>;
  readonly readSession: (sessionId: string) => Promise<BearerSession | null>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The instance's live connections and the one listener that feeds them: the database triggers' NOTIFYs
 * (a dedicated connection on PostgreSQL, in process on PGlite), so a change committed by any instance
 * reaches the sockets of every instance.
 */
export async function startSessionEvents(options: SessionEventsOptions): Promise<{ connections: LiveConnections; close(): Promise<void> }> {
  const { logger } = options;
  const connections = new LiveConnections(options);
  const onFailure = (error: unknown) => logger.error({ err: error }, 'session events: could not judge sockets');
  const listener = await options.database.listen(SESSION_SIGNAL_CHANNEL, {
    onPayload: (payload) => {
      const signal = parseSessionSignal(payload);
      if (signal) connections.handle(signal).catch(onFailure);
    },
    onReconnect: () => {
      logger.info('session events: listening again; judging every socket');
      connections.recheckAll().catch(onFailure);
    },
    onError: (error) => logger.warn({ err: error }, 'session events: the listening connection failed; reconnecting'),
  });
  return { connections, close: () => listener.close() };
}
