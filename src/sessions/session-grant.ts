import type { Role, RoleCatalog } from '../accounts/roles';
import { addSeconds } from '../clock';
import type { Account, Session, User } from '../generated/prisma/client';
import type { Permission } from '../identity/permission';
import type { AccessTokens } from '../tokens/access-tokens';

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

export type SessionWithAccount = Session & { account: Account; user: User };

export interface SessionGrantIssuerOptions {
  readonly accessTokens: AccessTokens;
  readonly roles: RoleCatalog;
  readonly idleTtlSeconds: number;
}

/** Turns a session and its newest refresh token into a grant: a signed access token plus the pair's expiries. */
export class SessionGrantIssuer {
  constructor(private readonly options: SessionGrantIssuerOptions) {}

  /**
   * The member's role by name in the account now; a name the account no longer has (a role deleted
   * meanwhile) grants nothing rather than failing the login.
   */
  async roleIn(db: Parameters<RoleCatalog['find']>[0], accountId: string, name: string): Promise<Role> {
    return (await this.options.roles.find(db, accountId, name)) ?? this.withoutPermissions(name);
  }

  /** The member's role from what the refresh read with the membership (RoleCatalog.roleOf). */
  roleOf(name: string, storedPermissions: unknown): Role {
    return this.options.roles.roleOf(name, storedPermissions) ?? this.withoutPermissions(name);
  }

  issue(session: SessionWithAccount, memberRole: Role, refreshTokenId: string, refreshToken: string, issuedAt: Date): SessionGrant {
    // The same rights Gatehouse's own checks give this member (none before verification), so the scope a router trusts is never wider.
    const permissions = this.options.roles.accessOf(memberRole, session.user.emailVerifiedAt !== null);
    const role = memberRole.name;
    const access = this.options.accessTokens.issue(
      { userId: session.userId, sessionId: session.id, accountId: session.accountId, role, permissions, clientId: session.clientId },
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
      access: permissions,
    };
  }

  private withoutPermissions(name: string): Role {
    return { name, description: '', builtIn: false, permissions: [] };
  }

  /** The idle expiry a session gets when used at `now`, never past its absolute expiry. */
  idleExpiry(now: Date, absoluteExpiresAt: Date): Date {
    const idle = this.idleDeadline(now);
    return idle < absoluteExpiresAt ? idle : absoluteExpiresAt;
  }

  /** `now` plus the idle lifetime: the idle expiry before the absolute one caps it (a statement that reads the session caps it itself). */
  idleDeadline(now: Date): Date {
    return addSeconds(now, this.options.idleTtlSeconds);
  }
}
