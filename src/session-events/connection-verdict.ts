import type { BearerSession } from '../sessions/bearer-session.sql';
import { RevocationReason } from '../sessions/revocation';

/** WebSocket close codes (graphql-ws uses 4400-4499 for its own: these two mirror HTTP's 401 and 403). */
export const CloseCode = {
  /** The session ended or the access token expired: log in (or refresh) and connect again. */
  UNAUTHORIZED: 4401,
  /** The user is no longer a member of the session's account. */
  FORBIDDEN: 4403,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Reasons that mean the membership itself is gone, not only the session: the client is told 4403. */
const MEMBERSHIP_ENDINGS: ReadonlySet<string> = new Set([RevocationReason.MEMBERSHIP_REMOVED, RevocationReason.LEFT_ACCOUNT, RevocationReason.ACCOUNT_DELETED]);

export type ConnectionVerdict =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'role-changed'; readonly role: string }
  | { readonly kind: 'ended'; readonly code: CloseCode; readonly reason: string | null };

/**
 * What a connection must do, from its session as it stands now (`found`, null once the row is gone) and
 * the signal's reason as a fallback for a row that went. The stored truth decides, never the signal alone.
 */
export function judgeConnection(connection: { readonly role: string }, found: BearerSession | null, signalledReason: string | null, now: Date): ConnectionVerdict {
  if (!found) {
    const reason = signalledReason ?? 'DELETED';
    return { kind: 'ended', code: MEMBERSHIP_ENDINGS.has(reason) ? CloseCode.FORBIDDEN : CloseCode.UNAUTHORIZED, reason };
  }
  const { session, roleName } = found;
  if (roleName === null) return { kind: 'ended', code: CloseCode.FORBIDDEN, reason: session.revokedReason ?? RevocationReason.MEMBERSHIP_REMOVED };
  if (session.revokedAt) {
    const reason = session.revokedReason;
    return { kind: 'ended', code: reason !== null && MEMBERSHIP_ENDINGS.has(reason) ? CloseCode.FORBIDDEN : CloseCode.UNAUTHORIZED, reason };
  }
  if (session.idleExpiresAt <= now || session.absoluteExpiresAt <= now) return { kind: 'ended', code: CloseCode.UNAUTHORIZED, reason: null };
  if (roleName !== connection.role) return { kind: 'role-changed', role: roleName };
  return { kind: 'unchanged' };
}
