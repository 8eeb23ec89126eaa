import { ErrorReason, unauthenticated } from '../errors';
import type { Session } from '../generated/prisma/client';

export const sessionRevoked = () => unauthenticated(ErrorReason.SESSION_REVOKED, 'The session has ended; log in again.');

/** Throws UNAUTHENTICATED when the session was revoked or has passed its idle or absolute expiry. */
export function assertSessionLive(session: Session, now: Date): void {
  if (session.revokedAt) throw sessionRevoked();
  if (session.idleExpiresAt <= now || session.absoluteExpiresAt <= now) {
    throw unauthenticated(ErrorReason.SESSION_EXPIRED, 'The session has expired; log in again.');
  }
}
