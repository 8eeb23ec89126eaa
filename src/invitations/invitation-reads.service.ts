import type { RoleCatalog } from '../accounts/roles';
import type { Clock } from '../clock';
import { ErrorReason, forbidden } from '../errors';
import type { PrismaClient } from '../generated/prisma/client';
import { idField, parseInput } from '../graphql/input-validation';
import { permits } from '../identity/permission';
import { findByLink, statusWhere, withStatus } from './invitation-link';
import type { InvitationView } from './invitation-link';
import { InvitationStatus } from './invitation.type';

export interface InvitationReadsOptions {
  readonly prisma: PrismaClient;
  readonly roles: RoleCatalog;
  readonly clock: Clock;
}

/** What a link shows before anyone signs in: enough to decide, nothing about anyone (no address, no id). */
export interface InvitationPreview {
  readonly accountName: string;
  readonly inviterName: string;
  readonly role: string;
  readonly expiresAt: Date;
  readonly status: InvitationStatus;
}

/** An account's list is for its admins, who can see every invitation anyway: a cap keeps one answer bounded. */
export const MAX_LISTED_INVITATIONS = 1000;

/** Shown instead of an inviter with no username: their email is theirs, not the link holder's, to give out. */
const ANONYMOUS_INVITER = 'A member';

/** Reading invitations: an account's (for its admins), the viewer's own, and what a link shows. */
export class InvitationReads {
  constructor(private readonly options: InvitationReadsOptions) {}

  /**
   * The account's invitations, newest first (at most MAX_LISTED_INVITATIONS), optionally of one status; a
   * pending invitation past its expiry is EXPIRED. The permission rule read the viewer's role with their
   * session; their membership is read again here, so a member removed or demoted since is refused now.
   */
  async listForAccount(viewerUserId: string, accountId: string, status: InvitationStatus | null | undefined): Promise<InvitationView[]> {
    const id = parseInput(idField, accountId, 'accountId');
    const { prisma, roles, clock } = this.options;
    const membership = await prisma.membership.findUnique({
      where: { userId_accountId: { userId: viewerUserId, accountId: id } },
      include: { user: { select: { emailVerifiedAt: true } } },
    });
    const role = membership ? await roles.find(prisma, id, membership.roleName) : undefined;
    const granted = membership ? roles.accessOf(role, membership.user.emailVerifiedAt !== null) : [];
    if (!permits(granted, 'invitations', 'r')) throw forbidden(ErrorReason.MISSING_PERMISSION, 'Needs invitations:r.');
    const now = clock.now();
    const invitations = await prisma.invitation.findMany({
      where: { accountId: id, ...(status ? statusWhere(status, now) : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: MAX_LISTED_INVITATIONS,
    });
    return invitations.map((invitation) => withStatus(invitation, now));
  }

  /**
   * Pending invitations to the viewer's address, once they have verified it: until then the address is
   * not proven theirs, and listing would show anyone who signs up with it whom it was invited by.
   */
  async mine(viewerUserId: string): Promise<InvitationView[]> {
    const { prisma, clock } = this.options;
    const user = await prisma.user.findUnique({ where: { id: viewerUserId } });
    if (!user?.emailVerifiedAt) return [];
    const now = clock.now();
    const invitations = await prisma.invitation.findMany({
      where: { email: user.email, ...statusWhere(InvitationStatus.PENDING, now) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return invitations.map((invitation) => withStatus(invitation, now));
  }

  /** What the link holder may see before deciding; null for any link that is not genuine (no hint why). */
  async preview(presentedToken: string): Promise<InvitationPreview | null> {
    const { prisma, clock } = this.options;
    const invitation = await findByLink(prisma, presentedToken);
    if (!invitation) return null;
    const [account, inviter] = await Promise.all([
      prisma.account.findUniqueOrThrow({ where: { id: invitation.accountId }, select: { name: true } }),
      invitation.invitedByUserId ? prisma.user.findUnique({ where: { id: invitation.invitedByUserId }, select: { username: true } }) : null,
    ]);
    const { status, roleName, expiresAt } = withStatus(invitation, clock.now());
    return { accountName: account.name, inviterName: inviter?.username ?? ANONYMOUS_INVITER, role: roleName, expiresAt, status };
  }
}
