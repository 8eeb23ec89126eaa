/** What happened to a session, as `sessionEvents` tells its own client (session-events/). */
export type SessionEventKind = 'REVOKED' | 'ROLE_CHANGED' | 'TOKEN_EXPIRING';

/** One event of a live connection: ids and a reason only, never a token. */
export interface SessionEventMessage {
  readonly type: SessionEventKind;
  readonly sessionId: string;
  /** Why the session ended (REVOKED): a revocation reason, or DELETED. */
  readonly reason: string | null;
  /** The member's role now (ROLE_CHANGED). */
  readonly role: string | null;
  /** When the access token the connection was opened with expires (TOKEN_EXPIRING). */
  readonly expiresAt: Date | null;
}

/** A WebSocket connection's own events, one stream per subscription. */
export interface SessionEventFeed {
  subscribe(): AsyncIterable<SessionEventMessage>;
}
