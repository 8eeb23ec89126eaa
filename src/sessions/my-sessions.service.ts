import type { Role, RoleCatalog } from '../accounts/roles';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { AppError, ErrorCode } from '../errors';
import type { Account, PrismaClient, Session } from '../generated/prisma/client';
import type { Permission } from '../identity/permission';
import type { RequestMetadata } from '../identity/request-metadata';
import { RevocationReason } from './revocation';
import type { SessionStore } from './session.store';

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

export interface MySessionsServiceOptions {
  readonly prisma: PrismaClient;
  /** Ending one of the user's sessions. */
  readonly sessionStore: SessionStore;
  readonly roles: RoleCatalog;
  readonly clock: Clock;
  readonly audit: AuditLog;
}

/** A user's view of their own sessions: the current one, the live list, and ending one of them. */
export class MySessionsService {
  constructor(private readonly options: MySessionsServiceOptions) {}

  /** The bearer's session, with the role and rights the viewer holds now (read with the session on this request). */
  async describe(viewer: { sessionId: string; role: string; access: readonly Permission[] }): Promise<SessionInfo> {
    const session = await this.options.prisma.session.findUniqueOrThrow({ where: { id: viewer.sessionId }, include: { account: true } });
    return this.toInfo(session, viewer.role, viewer.access, true);
  }

  /** The viewer's live sessions, newest first; roles as they stand now, rights as the viewer's verification allows. */
  async listLive(viewer: { userId: string; sessionId: string; emailVerified: boolean }): Promise<SessionInfo[]> {
    const { userId } = viewer;
    const now = this.options.clock.now();
    const [sessions, memberships] = await Promise.all([
      this.options.prisma.session.findMany({
        where: { userId, revokedAt: null, idleExpiresAt: { gt: now }, absoluteExpiresAt: { gt: now } },
        include: { account: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
      this.options.prisma.membership.findMany({ where: { userId } }),
    ]);
    const roleIn = await this.rolesOf(memberships);
    return sessions.flatMap((session) => {
      const role = roleIn.get(session.accountId);
      return role === undefined ? [] : [this.toInfo(session, role.name, this.options.roles.accessOf(role, viewer.emailVerified), session.id === viewer.sessionId)];
    });
  }

  /** Each membership's role by account: the built-in ones from memory, the accounts' own in one read. */
  private async rolesOf(memberships: readonly { accountId: string; roleName: string }[]): Promise<Map<string, Role>> {
    const { roles, prisma } = this.options;
    const own = memberships.filter((membership) => !roles.isBuiltIn(membership.roleName));
    const stored = own.length === 0 ? [] : await prisma.accountRole.findMany({ where: { OR: own.map(({ accountId, roleName }) => ({ accountId, name: roleName })) } });
    const storedIn = new Map(stored.map((row) => [row.accountId, row]));
    return new Map(
      memberships.flatMap(({ accountId, roleName }) => {
        const role = roles.roleOf(roleName, storedIn.get(accountId)?.permissions ?? null);
        return role ? [[accountId, role] as const] : [];
      }),
    );
  }

  /** Ends one of the user's own sessions. Someone else's id answers exactly like an unknown one. */
  async revokeOwn(userId: string, sessionId: string, request: RequestMetadata): Promise<boolean> {
    return inTransaction(this.options.prisma, async (transaction) => {
      const revoked = await this.options.sessionStore.revoke({ id: sessionId, userId }, RevocationReason.REVOKED_BY_USER, this.options.clock.now(), transaction);
      if (revoked === 0) throw new AppError(ErrorCode.NOT_FOUND, 'You have no live session with that id.', { field: 'id' });
      const { accountId } = await transaction.session.findUniqueOrThrow({ where: { id: sessionId }, select: { accountId: true } });
      await this.options.audit.record(
        { type: AuthEventType.SESSION_REVOKED, reason: RevocationReason.REVOKED_BY_USER, userId, accountId, sessionId, ...request },
        transaction,
      );
      return true;
    });
  }

  private toInfo(session: Session & { account: Account }, role: string, access: readonly Permission[], current: boolean): SessionInfo {
    return {
      id: session.id,
      account: session.account,
      role,
      access,
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
}
