import DataLoader from 'dataloader';
import type { HotPathSql } from '../database/hot-path-sql';
import { findBearerSessions } from './bearer-session.sql';
import type { BearerSession } from './bearer-session.sql';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BATCH = 64;

/**
 * The bearer check's reads, one statement for every request that asks in the same turn of the event loop.
 * Under load many requests reach their bearer check between two polls for I/O; each still gets its own
 * session's row as the database holds it when the statement runs, after the request arrived, so nothing is
 * served from a copy. What they share is the round trip: one socket write, one statement to plan and run,
 * one result to read, instead of one each (docs/performance.md, "Bearer reads in one statement").
 */
export class BearerSessionReads {
  private readonly loader: DataLoader<string, BearerSession | null>;

  constructor(sql: HotPathSql) {
    this.loader = new DataLoader(
      (sessionIds) => findBearerSessions(sql, sessionIds),
      // setImmediate, not DataLoader's default (after the current tick): requests are read off their
      // sockets in separate callbacks of one poll phase, and only the check phase after it sees them all.
      { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (dispatch) => setImmediate(dispatch) },
    );
  }

  /** Null for an unknown id, and for text that is no session id at all (one malformed id must not fail the others' statement). */
  find(sessionId: string): Promise<BearerSession | null> {
    if (!UUID.test(sessionId)) return Promise.resolve(null);
    return this.loader.load(sessionId.toLowerCase());
  }
}
