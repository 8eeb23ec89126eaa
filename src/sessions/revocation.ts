import type { Prisma, PrismaClient } from '../generated/prisma/client';

/** Why a session ended, stored on the row as revokedReason. */
export const RevocationReason = {
  LOGOUT: 'LOGOUT',
  LOGOUT_ALL: 'LOGOUT_ALL',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  SWITCHED_ACCOUNT: 'SWITCHED_ACCOUNT',
  MEMBERSHIP_REMOVED: 'MEMBERSHIP_REMOVED',
  LEFT_ACCOUNT: 'LEFT_ACCOUNT',
  ACCOUNT_DELETED: 'ACCOUNT_DELETED',
  PASSWORD_RESET: 'PASSWORD_RESET',
  PASSWORD_CHANGED: 'PASSWORD_CHANGED',
  TWO_FACTOR_CHANGED: 'TWO_FACTOR_CHANGED',
  /** A login went past MAX_SESSIONS_PER_USER: the user's oldest live session made room. */
  SESSION_LIMIT: 'SESSION_LIMIT',
  REVOKED_BY_USER: 'REVOKED_BY_USER',
  /** The user confirmed a new email address: every session, since the confirming link needs none. */
  EMAIL_CHANGED: 'EMAIL_CHANGED',
} as const;
export type RevocationReason = (typeof RevocationReason)[keyof typeof RevocationReason];

/**
 * Revokes the sessions matching `where` that are still live, on the client or transaction given;
 * returns how many it ended. Already-revoked sessions keep their original time and reason.
 */
export async function revokeSessions(
  database: Prisma.TransactionClient | PrismaClient,
  where: Prisma.SessionWhereInput,
  reason: RevocationReason,
  now: Date,
): Promise<number> {
  const { count } = await database.session.updateMany({
    where: { ...where, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}
