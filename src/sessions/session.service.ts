import { v7 as uuidv7 } from 'uuid';
import { assertMeetsTwoFactorRequirement } from '../accounts/two-factor-policy';
import type { AuditLog } from '../audit/audit-log';
import type { AuthEventInput } from '../audit/auth-event';
import { AuthEventType } from '../audit/auth-event';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import type { Transaction } from '../database/transaction';
import { ErrorReason, forbidden, unauthenticated } from '../errors';
import type { Account, Prisma, PrismaClient, User } from '../generated/prisma/client';
import type { RequestMetadata } from '../identity/request-metadata';
import { createOpaqueToken, hashSecret, TokenPrefix } from '../tokens/opaque-token';
import type { BearerSession } from './bearer-session.sql';
import type { RefreshTokenService } from './refresh-token.service';
import { RevocationReason } from './revocation';
import type { SessionGrant, SessionGrantIssuer } from './session-grant';
import { assertSessionLive, sessionRevoked } from './session-liveness';
import type { SessionStore } from './session.store';

export interface SessionStart {
  readonly user: User;
  readonly account: Account;
  readonly role: string;
  readonly clientId: string | null;
  readonly request: RequestMetadata;
  /** Record lastLoginAt: true for a login, false for an account switch. */
  readonly isLogin: boolean;
  /** The audit event this start is recorded as, in the same statement. */
  readonly event: AuthEventType;
}

export interface LogoutRequest {
  /** The session behind a valid access token, if one was presented. */
  readonly bearer: { readonly sessionId: string; readonly userId: string; readonly accountId: string } | null;
  readonly refreshToken: string | null;
  /** The client the refresh token must belong to, as refresh checks it. */
  readonly clientId: string | null;
  readonly allSessions: boolean;
  readonly request: RequestMetadata;
}

export interface SessionServiceOptions {
  readonly prisma: PrismaClient;
  /** The bearer check, opening and revoking sessions. */
  readonly sessionStore: SessionStore;
  readonly grants: SessionGrantIssuer;
  readonly refreshTokens: RefreshTokenService;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly absoluteTtlSeconds: number;
  /** MAX_SESSIONS_PER_USER: opening one more ends the user's oldest. */
  readonly maxSessionsPerUser: number;
}

/** The session an access token names: its id, and the user and account it must belong to. */
export interface SessionClaim {
  readonly sessionId: string;
  readonly userId: string;
  readonly accountId: string;
}

/** A live session with its user, and the member's role in its account as it stands now. */
export type LiveSession = BearerSession & { readonly roleName: string };

/**
 * A session's lifecycle: start, switch, logout and revocation, and the liveness check behind every
 * access token. Refresh rotation lives in RefreshTokenService; the owner's view in MySessionsService.
 */
export class SessionService {
  constructor(private readonly options: SessionServiceOptions) {}

  /**
   * Opens a session: one statement (SessionStore.open), atomic on its own, or inside the caller's
   * transaction when given, so a sign-up or selection and its session commit together.
   */
  async start(start: SessionStart, transaction?: Transaction): Promise<SessionGrant> {
    // Every way into an account (login, selection, second factor, switch) starts here, so its 2FA rule has no way around.
    assertMeetsTwoFactorRequirement(start.user, start.account, start.role);
    const now = this.options.clock.now();
    const absoluteExpiresAt = addSeconds(now, this.options.absoluteTtlSeconds);
    const sessionId = uuidv7();
    const refresh = createOpaqueToken(TokenPrefix.refresh);
    const event: AuthEventInput = {
      type: start.event,
      userId: start.user.id,
      accountId: start.account.id,
      sessionId,
      clientId: start.clientId,
      ...start.request,
    };
    const opened = await this.options.sessionStore.open(
      {
        sessionId,
        userId: start.user.id,
        accountId: start.account.id,
        clientId: start.clientId,
        userAgent: start.request.userAgent,
        ip: start.request.ip,
        now,
        idleExpiresAt: this.options.grants.idleExpiry(now, absoluteExpiresAt),
        absoluteExpiresAt,
        refreshTokenId: refresh.id,
        refreshSecretHash: hashSecret(refresh.secret),
        isLogin: start.isLogin,
        maxSessionsPerUser: this.options.maxSessionsPerUser,
        event: this.options.audit.rowFor(event),
      },
      transaction,
    );
    if (!opened) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of that account.');
    this.options.audit.written(event);
    const role = await this.options.grants.roleIn(transaction ?? this.options.prisma, start.account.id, start.role);
    return this.options.grants.issue({ ...opened.session, user: opened.user, account: start.account }, role, refresh.id, refresh.token, now);
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
    return inTransaction(prisma, (transaction) =>
      this.handOver(transaction, current, { account: membership.account, role: membership.roleName, request, event: AuthEventType.ACCOUNT_SWITCHED }),
    );
  }

  /**
   * Ends the live session `current` and opens its successor in another account, for the same user and
   * client, inside `transaction`: how a session moves (switchAccount, and createAccount in
   * account-lifecycle/), so every move ends the old session the same way.
   */
  async handOver(
    transaction: Transaction,
    current: { readonly id: string; readonly user: User; readonly clientId: string | null },
    next: Pick<SessionStart, 'account' | 'role' | 'request' | 'event'>,
  ): Promise<SessionGrant> {
    // Only a session that is still live may hand over to a new one: one that a logout (of this request or
    // a concurrent one) ended first is no parent. The revocation's row count decides, under its row lock.
    const ended = await this.revokeWhere(transaction, { id: current.id }, RevocationReason.SWITCHED_ACCOUNT);
    if (ended === 0) throw sessionRevoked();
    return this.start({ ...next, user: current.user, clientId: current.clientId, isLogin: false }, transaction);
  }

  /**
   * The session behind an access token, with its user (`me` then costs no query) and the member's
   * current role, or UNAUTHENTICATED when it was revoked, has expired, or its user is no longer a member
   * of its account (FORBIDDEN TWO_FACTOR_REQUIRED when the account now requires a 2FA the user lacks).
   * One flat statement on every authenticated request, in plain SQL (database/hot-path-sql.ts says why); of the
   * account it reads only the 2FA flag.
   */
  async findLive(claimed: SessionClaim): Promise<LiveSession> {
    const found = await this.options.sessionStore.findBearer(claimed.sessionId);
    if (!found || found.session.userId !== claimed.userId || found.session.accountId !== claimed.accountId) {
      throw unauthenticated(ErrorReason.INVALID_TOKEN, 'The access token is invalid.');
    }
    assertSessionLive(found.session, this.options.clock.now());
    // Removing a member ends their sessions there; a live session without a membership is refused all the same.
    if (found.roleName === null) throw unauthenticated(ErrorReason.NOT_A_MEMBER, 'You are no longer a member of this account.');
    // As at login and refresh: an account that now requires 2FA of this role admits no one without it.
    assertMeetsTwoFactorRequirement(found.session.user, { requireTwoFactor: found.accountRequiresTwoFactor }, found.roleName);
    return { ...found, roleName: found.roleName };
  }

  /**
   * The session as it stands, with its user and the member's current role (null once not a member),
   * whatever its state; null for an unknown id. For judging a connection opened earlier (session-events/).
   */
  readSession(sessionId: string): Promise<BearerSession | null> {
    return this.options.sessionStore.findBearer(sessionId);
  }

  /**
   * Ends the bearer's session and/or the refresh token's (either proves possession of a live session:
   * see RefreshTokenService.sessionToEnd), or with allSessions every session of the user(s) they belong
   * to. One UPDATE: nothing is half done.
   */
  async logout(request: LogoutRequest): Promise<boolean> {
    const { bearer } = request;
    const sessions: { id: string; userId: string; accountId: string }[] = bearer
      ? [{ id: bearer.sessionId, userId: bearer.userId, accountId: bearer.accountId }]
      : [];
    if (request.refreshToken !== null) {
      sessions.push(await this.options.refreshTokens.sessionToEnd(request.refreshToken, request.clientId, request.request));
    }
    const where: Prisma.SessionWhereInput = request.allSessions
      ? { userId: { in: sessions.map((session) => session.userId) } }
      : { id: { in: sessions.map((session) => session.id) } };
    const reason = request.allSessions ? RevocationReason.LOGOUT_ALL : RevocationReason.LOGOUT;
    await inTransaction(this.options.prisma, async (transaction) => {
      await this.revokeWhere(transaction, where, reason);
      for (const session of sessions) {
        await this.options.audit.record(
          { type: AuthEventType.LOGOUT, reason, userId: session.userId, accountId: session.accountId, sessionId: session.id, ...request.request },
          transaction,
        );
      }
    });
    return true;
  }

  /** Revokes sessions matching `where` that are still live, inside `transaction`, at the service clock's now; returns how many it ended. */
  async revokeWhere(transaction: Transaction, where: Prisma.SessionWhereInput, reason: RevocationReason): Promise<number> {
    return this.options.sessionStore.revoke(where, reason, this.options.clock.now(), transaction);
  }
}
