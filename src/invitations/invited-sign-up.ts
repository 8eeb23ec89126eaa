import type { RoleCatalog } from '../accounts/roles';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { InvitationRedeemer, InvitedMembership } from '../auth/invitation-redeemer';
import type { Clock } from '../clock';
import type { Transaction } from '../database/transaction';
import { ErrorReason, forbidden } from '../errors';
import type { PrismaClient, User } from '../generated/prisma/client';
import type { RequestMetadata } from '../identity/request-metadata';
import { findOpen } from './invitation-link';
import { joinByInvitation } from './invitation-membership';

export interface InvitedSignUpOptions {
  readonly prisma: PrismaClient;
  readonly roles: RoleCatalog;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/**
 * signUp with an inviteToken: the link was mailed to the invited address, so holding it proves that
 * address, and only a sign-up with that very address may use it (anyone else gets
 * INVITATION_EMAIL_MISMATCH, as on acceptInvitation).
 */
export class InvitedSignUp implements InvitationRedeemer {
  constructor(private readonly options: InvitedSignUpOptions) {}

  async invitedEmail(presentedToken: string): Promise<string> {
    return (await findOpen(this.options.prisma, presentedToken, this.options.clock.now())).email;
  }

  async redeem(transaction: Transaction, presentedToken: string, user: User, request: RequestMetadata): Promise<InvitedMembership> {
    const { roles, audit, clock } = this.options;
    const now = clock.now();
    // Read again in the transaction: the link may have been answered, revoked or resent since invitedEmail.
    const invitation = await findOpen(transaction, presentedToken, now);
    if (invitation.email !== user.email) throw emailMismatch();
    const account = await joinByInvitation(transaction, { roles, audit }, { invitation, user, sessionId: null, now }, request);
    await audit.record(
      { type: AuthEventType.INVITATION_ACCEPTED, userId: user.id, accountId: account.id, details: { invitationId: invitation.id, atSignUp: true }, ...request },
      transaction,
    );
    return { account, role: invitation.roleName };
  }
}

export const emailMismatch = () =>
  forbidden(ErrorReason.INVITATION_EMAIL_MISMATCH, 'This invitation is for another email address: sign up with the address it was sent to.');
