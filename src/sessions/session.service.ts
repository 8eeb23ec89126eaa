import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Permission, RoleCatalog } from '../accounts/roles';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { AppError, ErrorCode, ErrorReason, forbidden, unauthenticated } from '../errors';
import type { Account, Prisma, PrismaClient, RefreshToken, Session, User } from '../generated/prisma/client';
import type { RequestMetadata } from '../http/request-metadata';
import type { AccessTokenClaims, AccessTokens } from '../tokens/access-tokens';
import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches, TokenPrefix } from '../tokens/opaque-token';
import { deriveSuccessorSecret } from '../tokens/refresh-successor';
import { assertMeetsTwoFactorRequirement } from '../two-factor/two-factor-policy';

/** What every successful sign-up, login, selection, switch and refresh hands the client. */
export interface SessionGrant {
  readonly sessionId: string;
  readonly clientId: string | null;
  readonly tokenType: 'Bearer';
  readonly accessToken: string;
  readonly expiresAt: Date;
  readonly refreshToken: string;
  readonly refreshExpiresAt: Date;
  readonly user: User;
  readonly account: Account;
  readonly role: string;
  readonly access: readonly Permission[];
}

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

/** A session as its owner sees it. */
export interface SessionInfo {
  readonly id: string;
  readonly account: Account;
  readonly role: string;
  readonly access: readonly Permission[];
  readonly expiresAt: Date;
  readonly idleExpiresAt: Date;
  readonly absoluteExpiresAt: Date;
  readonly clientId: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  readonly userAgent: string | null;
  readonly ip: string | null;
  /** This is the session the request came with. */
  readonly current: boolean;
}

export interface LogoutRequest {
  /** The session behind a valid access token, if one was presented. */
  readonly bearer: { readonly sessionId: string; readonly userId: string; readonly accountId: string } | null;
  readonly refreshToken: string | null;
  readonly allSessions: boolean;
  readonly request: RequestMetadata;
}

export const RevocationReason = {
  LOGOUT: 'LOGOUT',
  LOGOUT_ALL: 'LOGOUT_ALL',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  SWITCHED_ACCOUNT: 'SWITCHED_ACCOUNT',
  MEMBERSHIP_REMOVED: 'MEMBERSHIP_REMOVED',
  PASSWORD_RESET: 'PASSWORD_RESET',
  PASSWORD_CHANGED: 'PASSWORD_CHANGED',
  REVOKED_BY_USER: 'REVOKED_BY_USER',
} as const;
export type RevocationReason = (typeof RevocationReason)[keyof typeof RevocationReason];

export interface SessionServiceOptions {
  readonly prisma: PrismaClient;
  readonly accessTokens: AccessTokens;
  readonly roles: RoleCatalog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly audit: AuditLog;
  readonly refreshSuccessorKey: Buffer;
  readonly idleTtlSeconds: number;
  readonly absoluteTtlSeconds: number;
  readonly refreshReuseGraceSeconds: number;
}

/** Thrown inside the rotation transaction when another request rotated the same token first. */
class LostRotationRace extends Error {}

type Transaction = Prisma.TransactionClient;
type SessionWithAccount = Session & { account: Account; user: User };

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/**
 * Sessions and their tokens: start, refresh (rotation with reuse detection), switch, revoke, and
 * the liveness check behind every access token.
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
        idleExpiresAt: this.idleExpiry(now, absoluteExpiresAt),
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
    return this.grant({ ...session, user, account: start.account }, start.role, refresh.id, refresh.token, now);
  }

  /**
   * Exchanges a refresh token for a new pair. The presented token is rotated (single use); presenting
   * a rotated one again revokes the session (RFC 9700 reuse detection), except inside the grace
   * window, where it returns the same successor pair so racing tabs and retries do not log users out.
   */
  async refresh(presentedToken: string, clientId: string | null, request: RequestMetadata): Promise<SessionGrant> {
    const presented = parseOpaqueToken(TokenPrefix.refresh, presentedToken);
    if (!presented) throw invalidRefreshToken();
    const record = await this.options.prisma.refreshToken.findUnique({
      where: { id: presented.id },
      include: { session: { include: { account: true, user: true } } },
    });
    if (!record || !secretMatches(presented.secret, record.secretHash)) throw invalidRefreshToken();
    const { session } = record;
    const now = this.options.clock.now();
    // A token bound to a client is useless to anyone who lifts it without also being that client.
    if (session.clientId !== clientId) {
      throw unauthenticated(ErrorReason.CLIENT_MISMATCH, 'This refresh token belongs to another client.');
    }
    this.assertLive(session, now);
    if (record.rotatedAt) return this.presentRotatedToken(record, presented.secret, session, now, request);

    const role = await this.currentRole(session, now);
    // Re-checked like the membership: a session opened before the account required 2FA cannot refresh without it.
    assertMeetsTwoFactorRequirement(session.user, session.account, role);
    try {
      return await this.rotate(record, presented.secret, session, role, now, request);
    } catch (error) {
      if (!(error instanceof LostRotationRace)) throw error;
      const rotated = await this.options.prisma.refreshToken.findUniqueOrThrow({ where: { id: record.id } });
      return this.presentRotatedToken(rotated, presented.secret, session, now, request);
    }
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

  /** The session behind an access token, or UNAUTHENTICATED when it was revoked or has expired. */
  async findLive(claims: AccessTokenClaims): Promise<SessionWithAccount> {
    const session = await this.options.prisma.session.findUnique({
      where: { id: claims.sid },
      include: { account: true, user: true },
    });
    if (!session || session.userId !== claims.sub || session.accountId !== claims.acc) {
      throw unauthenticated(ErrorReason.INVALID_TOKEN, 'The access token is invalid.');
    }
    this.assertLive(session, this.options.clock.now());
    return session;
  }

  /** The session a refresh token belongs to, whatever its rotation state; null when the token is not genuine. */
  async findByRefreshToken(presentedToken: string): Promise<Session | null> {
    const presented = parseOpaqueToken(TokenPrefix.refresh, presentedToken);
    if (!presented) return null;
    const record = await this.options.prisma.refreshToken.findUnique({ where: { id: presented.id }, include: { session: true } });
    return record && secretMatches(presented.secret, record.secretHash) ? record.session : null;
  }

  /** The role is the access token's: the one this session was granted at its last refresh. */
  async describe(sessionId: string, role: string): Promise<SessionInfo> {
    const session = await this.options.prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { account: true } });
    return this.toInfo(session, role, true);
  }

  /** The user's live sessions, newest first; roles as they stand now. */
  async listLive(userId: string, currentSessionId: string): Promise<SessionInfo[]> {
    const now = this.options.clock.now();
    const [sessions, memberships] = await Promise.all([
      this.options.prisma.session.findMany({
        where: { userId, revokedAt: null, idleExpiresAt: { gt: now }, absoluteExpiresAt: { gt: now } },
        include: { account: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
      this.options.prisma.membership.findMany({ where: { userId } }),
    ]);
    const roleIn = new Map(memberships.map((membership) => [membership.accountId, membership.roleName]));
    return sessions
      .filter((session) => roleIn.has(session.accountId))
      .map((session) => this.toInfo(session, roleIn.get(session.accountId) ?? '', session.id === currentSessionId));
  }

  /** Ends one of the user's own sessions. Someone else's id answers exactly like an unknown one. */
  async revokeOwn(userId: string, sessionId: string, request: RequestMetadata): Promise<boolean> {
    return this.options.prisma.$transaction(async (transaction) => {
      const revoked = await this.revokeWhere(transaction, { id: sessionId, userId }, RevocationReason.REVOKED_BY_USER);
      if (revoked === 0) throw new AppError(ErrorCode.NOT_FOUND, 'You have no live session with that id.', { field: 'id' });
      const { accountId } = await transaction.session.findUniqueOrThrow({ where: { id: sessionId }, select: { accountId: true } });
      await this.options.audit.record(
        { type: AuthEventType.SESSION_REVOKED, reason: RevocationReason.REVOKED_BY_USER, userId, accountId, sessionId, ...request },
        transaction,
      );
      return true;
    }, TRANSACTION_OPTIONS);
  }

  private toInfo(session: Session & { account: Account }, role: string, current: boolean): SessionInfo {
    return {
      id: session.id,
      account: session.account,
      role,
      access: this.options.roles.permissionsOf(role),
      expiresAt: session.idleExpiresAt < session.absoluteExpiresAt ? session.idleExpiresAt : session.absoluteExpiresAt,
      idleExpiresAt: session.idleExpiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
      clientId: session.clientId,
      createdAt: session.createdAt,
      lastUsedAt: session.lastUsedAt,
      userAgent: session.userAgent,
      ip: session.ip,
      current,
    };
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
      const session = await this.findByRefreshToken(request.refreshToken);
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

  /** Revokes sessions matching `where` that are still live; returns how many it ended. */
  async revoke(where: Prisma.SessionWhereInput, reason: RevocationReason): Promise<number> {
    return this.revokeWhere(this.options.prisma, where, reason);
  }

  async revokeWhere(database: Transaction | PrismaClient, where: Prisma.SessionWhereInput, reason: RevocationReason): Promise<number> {
    const { count } = await database.session.updateMany({
      where: { ...where, revokedAt: null },
      data: { revokedAt: this.options.clock.now(), revokedReason: reason },
    });
    return count;
  }

  private async rotate(
    record: RefreshToken,
    presentedSecret: string,
    session: SessionWithAccount,
    role: string,
    now: Date,
    request: RequestMetadata,
  ): Promise<SessionGrant> {
    const successorId = randomUUID();
    const successorSecret = deriveSuccessorSecret(this.options.refreshSuccessorKey, successorId, presentedSecret);
    const idleExpiresAt = this.idleExpiry(now, session.absoluteExpiresAt);
    await this.options.prisma.$transaction(async (transaction) => {
      await transaction.refreshToken.create({
        data: { id: successorId, sessionId: session.id, secretHash: hashSecret(successorSecret), createdAt: now },
      });
      // The conditional update is the arbiter: under concurrent refreshes exactly one sees rotatedAt still null.
      const rotated = await transaction.refreshToken.updateMany({
        where: { id: record.id, rotatedAt: null },
        data: { rotatedAt: now, replacedById: successorId },
      });
      if (rotated.count === 0) throw new LostRotationRace();
      const touched = await transaction.session.updateMany({
        where: { id: session.id, revokedAt: null },
        data: { lastUsedAt: now, idleExpiresAt },
      });
      if (touched.count === 0) throw sessionRevoked();
      await this.options.audit.record(
        { type: AuthEventType.TOKEN_REFRESHED, userId: session.userId, accountId: session.accountId, sessionId: session.id, clientId: session.clientId, ...request },
        transaction,
      );
      await transaction.membership.update({
        where: { userId_accountId: { userId: session.userId, accountId: session.accountId } },
        data: { lastUsedAt: now },
      });
    }, TRANSACTION_OPTIONS);
    const successorToken = createOpaqueToken(TokenPrefix.refresh, successorId, successorSecret).token;
    return this.grant({ ...session, idleExpiresAt }, role, successorId, successorToken, now);
  }

  private async presentRotatedToken(
    record: RefreshToken,
    presentedSecret: string,
    session: SessionWithAccount,
    now: Date,
    request: RequestMetadata,
  ): Promise<SessionGrant> {
    const graceMilliseconds = this.options.refreshReuseGraceSeconds * 1000;
    // Zero means no grace at all: a racing request that read the clock before the winner did, or an
    // instance whose clock runs behind, sees a negative age, and that must not count as "just rotated".
    const isWithinGrace =
      graceMilliseconds > 0 && record.rotatedAt !== null && now.getTime() - record.rotatedAt.getTime() <= graceMilliseconds;
    const successor = isWithinGrace && record.replacedById
      ? await this.options.prisma.refreshToken.findUnique({ where: { id: record.replacedById } })
      : null;
    if (successor && successor.rotatedAt === null) {
      const successorSecret = deriveSuccessorSecret(this.options.refreshSuccessorKey, successor.id, presentedSecret);
      if (secretMatches(successorSecret, successor.secretHash)) {
        const role = await this.currentRole(session, now);
        const current = await this.options.prisma.session.findUniqueOrThrow({ where: { id: session.id } });
        this.assertLive(current, now);
        const successorToken = createOpaqueToken(TokenPrefix.refresh, successor.id, successorSecret).token;
        return this.grant({ ...session, ...current }, role, successor.id, successorToken, successor.createdAt);
      }
    }
    await this.revoke({ id: session.id }, RevocationReason.REFRESH_TOKEN_REUSED);
    await this.options.audit.record({
      type: AuthEventType.REFRESH_TOKEN_REUSED,
      userId: session.userId,
      accountId: session.accountId,
      sessionId: session.id,
      clientId: session.clientId,
      ...request,
    });
    throw unauthenticated(ErrorReason.REFRESH_TOKEN_REUSED, 'This refresh token was already used; the session has been ended.');
  }

  /** A refresh re-reads the membership, so a removed member cannot refresh back in and a new role shows at once. */
  private async currentRole(session: Session, now: Date): Promise<string> {
    const membership = await this.options.prisma.membership.findUnique({
      where: { userId_accountId: { userId: session.userId, accountId: session.accountId } },
    });
    if (membership) return membership.roleName;
    await this.revoke({ id: session.id }, RevocationReason.MEMBERSHIP_REMOVED);
    this.options.logger.info({ sessionId: session.id, at: now }, 'refresh refused: no longer a member of the account');
    throw unauthenticated(ErrorReason.NOT_A_MEMBER, 'You are no longer a member of this account.');
  }

  private assertLive(session: Session, now: Date): void {
    if (session.revokedAt) throw sessionRevoked();
    if (session.idleExpiresAt <= now || session.absoluteExpiresAt <= now) {
      throw unauthenticated(ErrorReason.SESSION_EXPIRED, 'The session has expired; log in again.');
    }
  }

  private idleExpiry(now: Date, absoluteExpiresAt: Date): Date {
    const idle = addSeconds(now, this.options.idleTtlSeconds);
    return idle < absoluteExpiresAt ? idle : absoluteExpiresAt;
  }

  private grant(session: SessionWithAccount, role: string, refreshTokenId: string, refreshToken: string, issuedAt: Date): SessionGrant {
    const access = this.options.accessTokens.issue(
      { userId: session.userId, sessionId: session.id, accountId: session.accountId, role, clientId: session.clientId },
      issuedAt,
      refreshTokenId,
    );
    return {
      sessionId: session.id,
      clientId: session.clientId,
      tokenType: 'Bearer',
      accessToken: access.token,
      expiresAt: access.expiresAt,
      refreshToken,
      refreshExpiresAt: session.idleExpiresAt,
      user: session.user,
      account: session.account,
      role,
      access: this.options.roles.permissionsOf(role),
    };
  }
}

const invalidRefreshToken = () => unauthenticated(ErrorReason.INVALID_TOKEN, 'The refresh token is invalid.');
const sessionRevoked = () => unauthenticated(ErrorReason.SESSION_REVOKED, 'The session has ended; log in again.');
