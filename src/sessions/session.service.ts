import type { AuditLog } from '../audit/audit-log';
import type { DirectSql } from '../direct-sql';
import { AuthEventType } from '../audit/auth-event';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { ErrorReason, forbidden, unauthenticated } from '../errors';
import type { Account, Prisma, PrismaClient, User } from '../generated/prisma/client';
import type { RequestMetadata } from '../http/request-metadata';
import type { AccessTokenClaims } from '../tokens/access-tokens';
import { createOpaqueToken, hashSecret, TokenPrefix } from '../tokens/opaque-token';
import { assertMeetsTwoFactorRequirement } from '../two-factor/two-factor-policy';
import { invalidRefreshToken } from './refresh-token.service';
import type { RefreshTokenService } from './refresh-token.service';
import { RevocationReason, revokeSessions } from './revocation';
import type { SessionGrant, SessionGrantIssuer } from './session-grant';
import { assertSessionLive } from './session-liveness';
import { findSessionWithUser } from './session-with-user.sql';
import type { SessionWithUser } from './session-with-user.sql';
import { TRANSACTION_OPTIONS } from '../database';

export interface SessionStart {
  readonly user: User;
  readonly account: Account;
  readonly role: string;
  readonly clientId: string | null;
  readonly request: RequestMetadata;
  /** Record lastLoginAt: true for a login, false for an account switch. */
  readonly isLogin: boolean;
  /** The audit event this start is recorded as, in the same transaction. */
  readonly event: AuthEventType;
}

export interface LogoutRequest {
  /** The session behind a valid access token, if one was presented. */
  readonly bearer: { readonly sessionId: string; readonly userId: string; readonly accountId: string } | null;
  readonly refreshToken: string | null;
  readonly allSessions: boolean;
  readonly request: RequestMetadata;
}

export interface SessionServiceOptions {
  readonly prisma: PrismaClient;
  /** For findLive alone: see direct-sql.ts. */
  readonly directSql: DirectSql;
  readonly grants: SessionGrantIssuer;
  readonly refreshTokens: RefreshTokenService;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly absoluteTtlSeconds: number;
}

type Transaction = Prisma.TransactionClient;

/**
 * A session's lifecycle: start, switch, logout and revocation, and the liveness check behind every
 * access token. Refresh rotation lives in RefreshTokenService; the owner's view in MySessionsService.
 */
export class SessionService {
  constructor(private readonly options: SessionServiceOptions) {}

  /** Starts a session inside the caller's transaction, so sign-up or login and its session commit together. */
  async start(transaction: Transaction, start: SessionStart): Promise<SessionGrant> {
    // Every way into an account (login, selection, second factor, switch) starts here, so its 2FA rule has no way around.
    assertMeetsTwoFactorRequirement(start.user, start.account, start.role);
    const now = this.options.clock.now();
    const absoluteExpiresAt = addSeconds(now, this.options.absoluteTtlSeconds);
    const session = await transaction.session.create({
      data: {
        userId: start.user.id,
        accountId: start.account.id,
        clientId: start.clientId,
        userAgent: start.request.userAgent,
        ip: start.request.ip,
        createdAt: now,
        lastUsedAt: now,
        idleExpiresAt: this.options.grants.idleExpiry(now, absoluteExpiresAt),
        absoluteExpiresAt,
      },
    });
    const refresh = createOpaqueToken(TokenPrefix.refresh);
    await transaction.refreshToken.create({
      data: { id: refresh.id, sessionId: session.id, secretHash: hashSecret(refresh.secret), createdAt: now },
    });
    const user = await transaction.user.update({
      where: { id: start.user.id },
      data: { lastAccountId: start.account.id, ...(start.isLogin ? { lastLoginAt: now } : {}) },
    });
    await transaction.membership.update({
      where: { userId_accountId: { userId: start.user.id, accountId: start.account.id } },
      data: { lastUsedAt: now },
    });
    await this.options.audit.record(
      { type: start.event, userId: user.id, accountId: start.account.id, sessionId: session.id, clientId: start.clientId, ...start.request },
      transaction,
    );
    return this.options.grants.issue({ ...session, user, account: start.account }, start.role, refresh.id, refresh.token, now);
  }

  /** Moves the caller to another of their accounts: a new session there, the current one revoked. */
  async switchAccount(sessionId: string, accountId: string, request: RequestMetadata): Promise<SessionGrant> {
    const { prisma } = this.options;
    const current = await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { user: true } });
    const membership = await prisma.membership.findUnique({
      where: { userId_accountId: { userId: current.userId, accountId } },
      include: { account: true },
    });
    if (!membership) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of that account.');
    return prisma.$transaction(async (transaction) => {
      await this.revokeWhere(transaction, { id: sessionId }, RevocationReason.SWITCHED_ACCOUNT);
      return this.start(transaction, {
        user: current.user,
        account: membership.account,
        role: membership.roleName,
        clientId: current.clientId,
        request,
        isLogin: false,
        event: AuthEventType.ACCOUNT_SWITCHED,
      });
    }, TRANSACTION_OPTIONS);
  }

  /**
   * The session behind an access token, with its user (`me` then costs no query), or UNAUTHENTICATED
   * when it was revoked or has expired. One flat statement on every authenticated request, in plain SQL
   * (direct-sql.ts says why); the account is a column of the session and is not loaded here.
   */
  async findLive(claims: AccessTokenClaims): Promise<SessionWithUser> {
    const session = await findSessionWithUser(this.options.directSql, claims.sid);
    if (!session || session.userId !== claims.sub || session.accountId !== claims.acc) {
      throw unauthenticated(ErrorReason.INVALID_TOKEN, 'The access token is invalid.');
    }
    assertSessionLive(session, this.options.clock.now());
    return session;
  }

  /**
   * Ends the bearer's session and/or the refresh token's (either proves possession), or with
   * allSessions every session of the user(s) they belong to. One UPDATE: nothing is half done.
   */
  async logout(request: LogoutRequest): Promise<boolean> {
    const { bearer } = request;
    const sessions: { id: string; userId: string; accountId: string }[] = bearer
      ? [{ id: bearer.sessionId, userId: bearer.userId, accountId: bearer.accountId }]
      : [];
    if (request.refreshToken !== null) {
      const session = await this.options.refreshTokens.findSession(request.refreshToken);
      if (!session) throw invalidRefreshToken();
      sessions.push(session);
    }
    const where: Prisma.SessionWhereInput = request.allSessions
      ? { userId: { in: sessions.map((session) => session.userId) } }
      : { id: { in: sessions.map((session) => session.id) } };
    const reason = request.allSessions ? RevocationReason.LOGOUT_ALL : RevocationReason.LOGOUT;
    await this.options.prisma.$transaction(async (transaction) => {
      await this.revokeWhere(transaction, where, reason);
      for (const session of sessions) {
        await this.options.audit.record(
          { type: AuthEventType.LOGOUT, reason, userId: session.userId, accountId: session.accountId, sessionId: session.id, ...request.request },
          transaction,
        );
      }
    }, TRANSACTION_OPTIONS);
    return true;
  }

  /** Revokes sessions matching `where` that are still live, at the service clock's now; returns how many it ended. */
  async revokeWhere(database: Transaction | PrismaClient, where: Prisma.SessionWhereInput, reason: RevocationReason): Promise<number> {
    return revokeSessions(database, where, reason, this.options.clock.now());
  }
}
