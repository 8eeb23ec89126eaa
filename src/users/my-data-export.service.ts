import type { Clock } from '../clock';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type {
  ExportedAuthEventType,
  ExportedInvitationType,
  ExportedMembershipType,
  ExportedSessionType,
  ExportedUserType,
  UserDataExportType,
} from './my-data-export.type';

/** The most rows of one kind an export lists: a request answers in bounded time and size however long the history. */
export const EXPORT_ROW_LIMIT = 1000;

// Every read names its columns: a column added later (a new secret) stays out until someone decides it belongs.
const userColumns = { id: true, email: true, emailVerifiedAt: true, username: true, createdAt: true, lastLoginAt: true, lastAccountId: true, totpEnabledAt: true } satisfies Prisma.UserSelect;
const sessionColumns = {
  id: true, accountId: true, clientId: true, createdAt: true, lastUsedAt: true, idleExpiresAt: true, absoluteExpiresAt: true, revokedAt: true, revokedReason: true, userAgent: true, ip: true,
} satisfies Prisma.SessionSelect;
const invitationColumns = {
  id: true, accountId: true, roleName: true, createdAt: true, expiresAt: true, acceptedAt: true, declinedAt: true, revokedAt: true, account: { select: { name: true } },
} satisfies Prisma.InvitationSelect;
const auditColumns = { id: true, type: true, reason: true, accountId: true, sessionId: true, clientId: true, ip: true, userAgent: true, createdAt: true } satisfies Prisma.AuthEventSelect;

/** The signed-in user's own data, for them to read or take elsewhere (GDPR art. 15 and 20): see my-data-export.type.ts. */
export class MyDataExportService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  async export(userId: string): Promise<UserDataExportType> {
    const { prisma } = this;
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: userColumns });
    const [memberships, sessions, invitationsReceived, invitationsSent, auditEvents] = await Promise.all([
      prisma.membership.findMany({ where: { userId }, include: { account: { select: { name: true } } }, orderBy: [{ createdAt: 'asc' }, { accountId: 'asc' }] }),
      prisma.session.findMany({ where: { userId }, select: sessionColumns, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: EXPORT_ROW_LIMIT + 1 }),
      // Addressed to them by address: what the invitation holds of them is the address they have now.
      prisma.invitation.findMany({ where: { email: user.email }, select: invitationColumns, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: EXPORT_ROW_LIMIT }),
      prisma.invitation.findMany({ where: { invitedByUserId: userId }, select: invitationColumns, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: EXPORT_ROW_LIMIT }),
      prisma.authEvent.findMany({ where: { userId }, select: auditColumns, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: EXPORT_ROW_LIMIT + 1 }),
    ]);
    const { totpEnabledAt, ...stored } = user;
    const exportedUser: ExportedUserType = { ...stored, twoFactorEnabledAt: totpEnabledAt };
    return {
      exportedAt: this.clock.now(),
      user: exportedUser,
      memberships: memberships.map(
        (membership): ExportedMembershipType => ({
          accountId: membership.accountId,
          accountName: membership.account.name,
          role: membership.roleName,
          createdAt: membership.createdAt,
          lastUsedAt: membership.lastUsedAt,
        }),
      ),
      sessions: sessions.slice(0, EXPORT_ROW_LIMIT) satisfies ExportedSessionType[],
      sessionsTruncated: sessions.length > EXPORT_ROW_LIMIT,
      invitationsReceived: invitationsReceived.map(toExportedInvitation),
      invitationsSent: invitationsSent.map(toExportedInvitation),
      auditEvents: auditEvents.slice(0, EXPORT_ROW_LIMIT) satisfies ExportedAuthEventType[],
      auditEventsTruncated: auditEvents.length > EXPORT_ROW_LIMIT,
    };
  }
}

function toExportedInvitation(invitation: {
  id: string;
  accountId: string;
  roleName: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  declinedAt: Date | null;
  revokedAt: Date | null;
  account: { name: string };
}): ExportedInvitationType {
  const { roleName, account, ...rest } = invitation;
  return { ...rest, accountName: account.name, role: roleName };
}
