import type { Mailer } from '../email/mailer';
import { invitationMessage, linkTo } from '../email/messages';
import type { Invitation, PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';

export interface InvitationMailOptions {
  readonly prisma: PrismaClient;
  readonly mailer: Mailer;
  readonly logger: Logger;
  readonly publicUrl: string;
  readonly ttlSeconds: number;
}

/** Mail failures are the operator's to see (logged), not the inviter's: the invitation stands and can be resent. */
export async function mailInvitation(options: InvitationMailOptions, invitation: Invitation, inviterUserId: string, token: string): Promise<void> {
  const { prisma, mailer, publicUrl, ttlSeconds, logger } = options;
  try {
    const [account, inviter] = await Promise.all([
      prisma.account.findUniqueOrThrow({ where: { id: invitation.accountId } }),
      prisma.user.findUniqueOrThrow({ where: { id: inviterUserId } }),
    ]);
    const message = invitationMessage(
      invitation.email,
      { accountName: account.name, role: invitation.roleName, invitedBy: inviter.username ?? inviter.email },
      linkTo(publicUrl, 'accept-invitation', token),
      Math.round(ttlSeconds / 86_400),
    );
    await mailer.send(message);
  } catch (error) {
    logger.error({ err: error, invitationId: invitation.id }, 'could not send the invitation email');
  }
}
