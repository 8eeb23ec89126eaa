import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Role } from '../accounts/roles';
import { assertMeetsTwoFactorRequirement } from '../accounts/two-factor-policy';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { AuthEventInput } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { AppError, ErrorReason, unauthenticated } from '../errors';
import type { PrismaClient, RefreshToken, Session } from '../generated/prisma/client';
import type { RequestMetadata } from '../identity/request-metadata';
import type { Metrics, RefreshResult } from '../metrics/metrics';
import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches, TokenPrefix } from '../tokens/opaque-token';
import { deriveSuccessorSecret } from '../tokens/refresh-successor';
import type { RefreshTokenRecord } from './refresh-rotation.sql';
import type { RefreshTokenStore } from './refresh-token.store';
import { RevocationReason } from './revocation';
import type { SessionGrant, SessionGrantIssuer, SessionWithAccount } from './session-grant';
import { assertSessionLive, sessionRevoked } from './session-liveness';
import type { SessionStore } from './session.store';

export interface RefreshTokenServiceOptions {
  readonly prisma: PrismaClient;
  /** The rotation's read and write. */
  readonly refreshTokenStore: RefreshTokenStore;
  /** Ending a session a refresh refuses. */
  readonly sessionStore: SessionStore;
  readonly grants: SessionGrantIssuer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly audit: AuditLog;
  readonly refreshSuccessorKey: Buffer;
  readonly refreshReuseGraceSeconds: number;
  readonly metrics: Metrics;
}

/** Thrown inside the rotation transaction when another request rotated the same token first. */
class LostRotationRace extends Error {}

/** Thrown by refuseReuse, so refresh can count a reuse apart from the other refusals. */
const isReuseRefusal = (error: unknown): boolean =>
  error instanceof AppError && error.extensions.reason === ErrorReason.REFRESH_TOKEN_REUSED;

export const invalidRefreshToken = () => unauthenticated(ErrorReason.INVALID_TOKEN, 'The refresh token is invalid.');

/** A token bound to a client is useless to anyone who lifts it without also being that client. */
function assertClient(session: Session, clientId: string | null): void {
  if (session.clientId !== clientId) throw unauthenticated(ErrorReason.CLIENT_MISMATCH, 'This refresh token belongs to another client.');
}

function parsePresented(presentedToken: string): { id: string; secret: string } {
  const presented = parseOpaqueToken(TokenPrefix.refresh, presentedToken);
  if (!presented) throw invalidRefreshToken();
  return presented;
}

/** The token as read, when it is genuine, of this client, and its session live (whatever its rotation state); UNAUTHENTICATED otherwise. */
function liveSessionOf(
  presented: { secret: string },
  found: RefreshTokenRecord | null,
  clientId: string | null,
  now: Date,
): RefreshTokenRecord {
  if (!found || !secretMatches(presented.secret, found.token.secretHash)) throw invalidRefreshToken();
  assertClient(found.session, clientId);
  assertSessionLive(found.session, now);
  return found;
}

const refreshedEvent = (session: Session, request: RequestMetadata): AuthEventInput => ({
  type: AuthEventType.TOKEN_REFRESHED,
  userId: session.userId,
  accountId: session.accountId,
  sessionId: session.id,
  clientId: session.clientId,
  ...request,
});

/** Refresh tokens: rotation with reuse detection, and finding the session a token belongs to. */
export class RefreshTokenService {
  constructor(private readonly options: RefreshTokenServiceOptions) {}

  /**
   * Exchanges a refresh token for a new pair. The presented token is rotated (single use); presenting
   * a rotated one again revokes the session (RFC 9700 reuse detection), except inside the grace
   * window, where it returns the same successor pair so racing tabs and retries do not log users out.
   */
  async refresh(presentedToken: string, clientId: string | null, request: RequestMetadata): Promise<SessionGrant> {
    try {
      const { grant, result } = await this.exchange(presentedToken, clientId, request);
      this.options.metrics.refreshed(result);
      return grant;
    } catch (error) {
      this.options.metrics.refreshed(isReuseRefusal(error) ? 'reused' : 'refused');
      throw error;
    }
  }

  private async exchange(
    presentedToken: string,
    clientId: string | null,
    request: RequestMetadata,
  ): Promise<{ grant: SessionGrant; result: RefreshResult }> {
    const presented = parsePresented(presentedToken);
    const now = this.options.clock.now();
    const successorId = randomUUID();
    const successorSecret = deriveSuccessorSecret(this.options.refreshSuccessorKey, successorId, presented.secret);
    // Usually one round trip: read and rotated together, when nothing below would refuse the token.
    const outcome = await this.options.refreshTokenStore.rotateIfEligible({
      tokenId: presented.id,
      secretHash: hashSecret(presented.secret),
      clientId,
      now,
      idleExpiresAt: this.options.grants.idleDeadline(now),
      successorId,
      successorSecretHash: hashSecret(successorSecret),
      event: this.options.audit.rowFor({ type: AuthEventType.TOKEN_REFRESHED, ...request }),
    });
    if (outcome.rotated) {
      const { session, roleName, rolePermissions } = outcome.record;
      this.options.audit.written(refreshedEvent(session, request));
      const role = this.options.grants.roleOf(roleName, rolePermissions);
      return { grant: this.issueSuccessor(session, role, successorId, successorSecret, now), result: 'rotated' };
    }

    // Not rotated: these checks, on the row the statement read, say why; or they pass, and a race was lost.
    const found = liveSessionOf(presented, outcome.record, clientId, now);
    const { token: record, session } = found;
    if (record.rotatedAt)
      return { grant: await this.presentRotatedToken(record, presented.secret, session, now, request), result: 'grace_replay' };

    // The membership's role as the token was read: a removed member cannot refresh back in, a new role shows at once.
    const role = found.roleName ?? (await this.refuseFormerMember(session, now));
    // Re-checked like the membership: a session opened before the account required 2FA cannot refresh without it.
    assertMeetsTwoFactorRequirement(session.user, session.account, role);
    try {
      return {
        grant: await this.rotate(record, presented.secret, session, this.options.grants.roleOf(role, found.rolePermissions), now, request),
        result: 'rotated',
      };
    } catch (error) {
      if (!(error instanceof LostRotationRace)) throw error;
      const rotatedMeanwhile = await this.options.prisma.refreshToken.findUniqueOrThrow({ where: { id: record.id } });
      return { grant: await this.presentRotatedToken(rotatedMeanwhile, presented.secret, session, now, request), result: 'grace_replay' };
    }
  }

  /**
   * The session a refresh token may end (logout): only a genuine token of that client, for a live
   * session, current or rotated within the grace window, vouches for it. A rotated token outside the
   * window is a reuse, handled as refresh handles one (the session ends, the event is recorded): a
   * token lifted from a dead or rotated session must not be able to log its owner out everywhere.
   */
  async sessionToEnd(presentedToken: string, clientId: string | null, request: RequestMetadata): Promise<Session> {
    const { presented, found, now } = await this.findForLiveSession(presentedToken, clientId);
    const { token: record, session } = found;
    if (record.rotatedAt && !(await this.graceSuccessor(record, presented.secret, now))) await this.refuseReuse(session, request);
    return session;
  }

  /** A genuine refresh token of this client whose session is live, whatever its rotation state; UNAUTHENTICATED otherwise. */
  private async findForLiveSession(presentedToken: string, clientId: string | null) {
    const presented = parsePresented(presentedToken);
    const found = await this.options.refreshTokenStore.find(presented.id);
    const now = this.options.clock.now();
    return { presented, found: liveSessionOf(presented, found, clientId, now), now };
  }

  /** The successor pair: the access token and the successor refresh token, for the session as the rotation left it. */
  private issueSuccessor(session: SessionWithAccount, role: Role, successorId: string, successorSecret: string, now: Date): SessionGrant {
    const idleExpiresAt = this.options.grants.idleExpiry(now, session.absoluteExpiresAt);
    const successorToken = createOpaqueToken(TokenPrefix.refresh, successorId, successorSecret).token;
    return this.options.grants.issue({ ...session, idleExpiresAt }, role, successorId, successorToken, now);
  }

  private async rotate(
    record: RefreshToken,
    presentedSecret: string,
    session: SessionWithAccount,
    role: Role,
    now: Date,
    request: RequestMetadata,
  ): Promise<SessionGrant> {
    const successorId = randomUUID();
    const successorSecret = deriveSuccessorSecret(this.options.refreshSuccessorKey, successorId, presentedSecret);
    const refreshed = refreshedEvent(session, request);
    const outcome = await this.options.refreshTokenStore.rotate({
      sessionId: session.id,
      tokenId: record.id,
      now,
      idleExpiresAt: this.options.grants.idleExpiry(now, session.absoluteExpiresAt),
      successorId,
      successorSecretHash: hashSecret(successorSecret),
      event: this.options.audit.rowFor(refreshed),
    });
    if (outcome === 'session-ended') throw sessionRevoked();
    if (outcome === 'lost-race') throw new LostRotationRace();
    this.options.audit.written(refreshed);
    return this.issueSuccessor(session, role, successorId, successorSecret, now);
  }

  private async presentRotatedToken(
    record: RefreshToken,
    presentedSecret: string,
    session: SessionWithAccount,
    now: Date,
    request: RequestMetadata,
  ): Promise<SessionGrant> {
    const successor = await this.graceSuccessor(record, presentedSecret, now);
    if (!successor) return this.refuseReuse(session, request);
    const role = await this.currentRole(session, now);
    const current = await this.options.prisma.session.findUniqueOrThrow({ where: { id: session.id } });
    assertSessionLive(current, now);
    const successorToken = createOpaqueToken(TokenPrefix.refresh, successor.token.id, successor.secret).token;
    return this.options.grants.issue({ ...session, ...current }, role, successor.token.id, successorToken, successor.token.createdAt);
  }

  /**
   * The successor of a rotated token presented again within the grace window (racing tabs, a retried
   * request), with its secret, while that successor is itself unused; null otherwise: then it is a reuse.
   */
  private async graceSuccessor(
    record: RefreshToken,
    presentedSecret: string,
    now: Date,
  ): Promise<{ token: RefreshToken; secret: string } | null> {
    const graceMilliseconds = this.options.refreshReuseGraceSeconds * 1000;
    // Zero means no grace at all: a racing request that read the clock before the winner did, or an
    // instance whose clock runs behind, sees a negative age, and that must not count as "just rotated".
    const isWithinGrace =
      graceMilliseconds > 0 && record.rotatedAt !== null && now.getTime() - record.rotatedAt.getTime() <= graceMilliseconds;
    if (!isWithinGrace || !record.replacedById) return null;
    const successor = await this.options.prisma.refreshToken.findUnique({ where: { id: record.replacedById } });
    if (!successor || successor.rotatedAt !== null) return null;
    const secret = deriveSuccessorSecret(this.options.refreshSuccessorKey, successor.id, presentedSecret);
    return secretMatches(secret, successor.secretHash) ? { token: successor, secret } : null;
  }

  /** A rotated token presented again: the session ends, and the revocation and its audit event commit together. */
  private async refuseReuse(session: Session, request: RequestMetadata): Promise<never> {
    await inTransaction(this.options.prisma, async (transaction) => {
      await this.options.sessionStore.revoke(
        { id: session.id },
        RevocationReason.REFRESH_TOKEN_REUSED,
        this.options.clock.now(),
        transaction,
      );
      await this.options.audit.record(
        {
          type: AuthEventType.REFRESH_TOKEN_REUSED,
          userId: session.userId,
          accountId: session.accountId,
          sessionId: session.id,
          clientId: session.clientId,
          ...request,
        },
        transaction,
      );
    });
    this.options.metrics.refreshReuseDetected();
    throw unauthenticated(ErrorReason.REFRESH_TOKEN_REUSED, 'This refresh token was already used; the session has been ended.');
  }

  /** A refresh re-reads the membership, so a removed member cannot refresh back in and a new role shows at once. */
  private async currentRole(session: Session, now: Date): Promise<Role> {
    const membership = await this.options.prisma.membership.findUnique({
      where: { userId_accountId: { userId: session.userId, accountId: session.accountId } },
    });
    if (!membership) return this.refuseFormerMember(session, now);
    return this.options.grants.roleIn(this.options.prisma, session.accountId, membership.roleName);
  }

  /** Ends the session of a user who is no longer a member of its account, and says so. */
  private async refuseFormerMember(session: Session, now: Date): Promise<never> {
    await this.revokeSession(session.id, RevocationReason.MEMBERSHIP_REMOVED);
    this.options.logger.info({ sessionId: session.id, at: now }, 'refresh refused: no longer a member of the account');
    throw unauthenticated(ErrorReason.NOT_A_MEMBER, 'You are no longer a member of this account.');
  }

  private async revokeSession(sessionId: string, reason: RevocationReason): Promise<void> {
    await this.options.sessionStore.revoke({ id: sessionId }, reason, this.options.clock.now());
  }
}
