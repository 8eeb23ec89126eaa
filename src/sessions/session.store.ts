import { transactionSql } from '../database/hot-path-sql';
import type { HotPathSql } from '../database/hot-path-sql';
import type { Transaction } from '../database/transaction';
import type { Prisma, PrismaClient, Session, User } from '../generated/prisma/client';
import type { Metrics } from '../metrics/metrics';
import { BearerSessionReads } from './bearer-session-reads';
import type { BearerSession } from './bearer-session.sql';
import { RevocationReason, revokeSessions } from './revocation';
import { openSession } from './session-opening.sql';
import type { SessionOpening } from './session-opening.sql';

/**
 * The session operations the session services run, each one statement: the bearer check's read and a
 * session's opening in plain SQL (database/hot-path-sql.ts says why), revocation through Prisma. An
 * operation given the caller's transaction runs inside it and commits with the rest.
 */
export class SessionStore {
  private readonly bearerReads: BearerSessionReads;

  constructor(
    private readonly sql: HotPathSql,
    private readonly prisma: PrismaClient,
    private readonly metrics: Metrics,
  ) {
    this.bearerReads = new BearerSessionReads(sql);
  }

  /** The session, its user, the member's current role and the account's 2FA rule (bearer-session.sql.ts); null for an unknown id. */
  findBearer(sessionId: string): Promise<BearerSession | null> {
    return this.bearerReads.find(sessionId);
  }

  /**
   * Writes a session with its refresh token, audit row and last uses (session-opening.sql.ts): atomic on
   * its own, or inside `transaction`. Null when the user is no longer a member of the account.
   */
  async open(opening: SessionOpening, transaction?: Transaction): Promise<{ session: Session; user: User } | null> {
    const opened = await openSession(transaction ? transactionSql(transaction) : this.sql, opening);
    if (opened) this.metrics.sessionsRevoked(RevocationReason.SESSION_LIMIT, opened.endedForLimit);
    return opened && { session: opened.session, user: opened.user };
  }

  /** Ends the sessions matching `where` that are still live, at `now`; returns how many it ended. */
  async revoke(where: Prisma.SessionWhereInput, reason: RevocationReason, now: Date, transaction?: Transaction): Promise<number> {
    const ended = await revokeSessions(transaction ?? this.prisma, where, reason, now);
    this.metrics.sessionsRevoked(reason, ended);
    return ended;
  }
}
