import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { BearerSession } from '../sessions/bearer-session.sql';
import { CloseCode, judgeConnection } from './connection-verdict';
import type { LiveConnection } from './live-connection';
import type { SessionSignal } from './session-signal';

/** Sockets one session may hold open at once on one instance: a bound, so one token cannot pin memory without end. */
export const MAX_CONNECTIONS_PER_SESSION = 10;

export interface LiveConnectionsOptions {
  /** The session as it stands now (the bearer check's own statement), null when the row is gone. */
  readonly readSession: (sessionId: string) => Promise<BearerSession | null>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * This instance's authenticated sockets, by session and by membership. A signal (from whichever
 * instance made the change) names whose sockets to look at; each is then judged from the session as
 * the database has it now. No socket polls: an idle connection costs two timers and map entries.
 */
export class LiveConnections {
  private readonly bySession = new Map<string, Set<LiveConnection>>();
  private readonly byMembership = new Map<string, Set<LiveConnection>>();
  /** One check at a time per session, so an older read never overrides a newer one. */
  private readonly checks = new Map<string, Promise<void>>();

  constructor(private readonly options: LiveConnectionsOptions) {}

  get size(): number {
    let count = 0;
    for (const connections of this.bySession.values()) count += connections.size;
    return count;
  }

  /** Adds a connection; false when its session already holds MAX_CONNECTIONS_PER_SESSION here. */
  add(connection: LiveConnection): boolean {
    const ofSession = this.bySession.get(connection.sessionId) ?? new Set<LiveConnection>();
    if (ofSession.size >= MAX_CONNECTIONS_PER_SESSION) return false;
    ofSession.add(connection);
    this.bySession.set(connection.sessionId, ofSession);
    const key = membershipKey(connection);
    const ofMembership = this.byMembership.get(key) ?? new Set<LiveConnection>();
    ofMembership.add(connection);
    this.byMembership.set(key, ofMembership);
    connection.watchTokenExpiry(this.options.clock, () => void connection.end(CloseCode.UNAUTHORIZED, 'Access token expired'));
    return true;
  }

  remove(connection: LiveConnection): void {
    connection.release();
    removeFrom(this.bySession, connection.sessionId, connection);
    removeFrom(this.byMembership, membershipKey(connection), connection);
  }

  /** Judges the sockets a signal names; other instances' sockets are their instance's business. */
  async handle(signal: SessionSignal): Promise<void> {
    const sessionIds =
      signal.kind === 'session' ? [signal.sessionId] : [...new Set([...(this.byMembership.get(membershipKey(signal)) ?? [])].map((connection) => connection.sessionId))];
    // A membership signal carries no reason of its own: a live session without its membership is judged
    // MEMBERSHIP_REMOVED from the row, and a row gone with its user is DELETED whichever signal came first.
    const reason = signal.kind === 'session' ? signal.reason : null;
    await Promise.all(sessionIds.filter((sessionId) => this.bySession.has(sessionId)).map((sessionId) => this.check(sessionId, reason)));
  }

  /** Judges every socket again: after the listener reconnected, signals sent meanwhile were lost. */
  async recheckAll(): Promise<void> {
    await Promise.all([...this.bySession.keys()].map((sessionId) => this.check(sessionId, null)));
  }

  /** Closes every socket (shutdown): 1001, going away, so clients reconnect elsewhere. */
  closeAll(closeSocket: (connection: LiveConnection) => void): void {
    for (const connections of this.bySession.values()) for (const connection of connections) closeSocket(connection);
  }

  private check(sessionId: string, signalledReason: string | null): Promise<void> {
    const previous = this.checks.get(sessionId) ?? Promise.resolve();
    const next = previous.then(() => this.judge(sessionId, signalledReason));
    this.checks.set(sessionId, next);
    return next.finally(() => {
      if (this.checks.get(sessionId) === next) this.checks.delete(sessionId);
    });
  }

  private async judge(sessionId: string, signalledReason: string | null): Promise<void> {
    const connections = this.bySession.get(sessionId);
    if (!connections) return;
    let found: BearerSession | null;
    try {
      found = await this.options.readSession(sessionId);
    } catch (error) {
      // The database is unreachable: the sockets stay as they are, and the token's expiry still closes them.
      this.options.logger.warn({ err: error }, 'session events: could not read a session to judge its sockets');
      return;
    }
    const verdict = judgeConnection([...connections][0], found, signalledReason, this.options.clock.now());
    for (const connection of [...connections]) {
      if (verdict.kind === 'role-changed' && connection.role !== verdict.role) {
        connection.role = verdict.role;
        connection.send({ type: 'ROLE_CHANGED', role: verdict.role });
      } else if (verdict.kind === 'ended') {
        const event = verdict.reason === null ? undefined : { type: 'REVOKED' as const, sessionId, reason: verdict.reason, role: null, expiresAt: null };
        void connection.end(verdict.code, verdict.code === CloseCode.FORBIDDEN ? 'Membership gone' : 'Session ended', event);
      }
    }
  }
}

const membershipKey = (member: { readonly userId: string; readonly accountId: string }): string => `${member.userId}:${member.accountId}`;

function removeFrom(map: Map<string, Set<LiveConnection>>, key: string, connection: LiveConnection): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(connection);
  if (set.size === 0) map.delete(key);
}
