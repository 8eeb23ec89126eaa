import type { RoleCatalog } from '../accounts/roles';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { Transaction } from '../database/transaction';
import { isUniqueViolation } from '../database/unique-violation';
import { badUserInput, ErrorReason, isAppError, unauthenticated } from '../errors';
import type { Account, Invitation, User } from '../generated/prisma/client';
import type { RequestMetadata } from '../identity/request-metadata';
import { assertMayGrant, lockActingMember } from '../members/acting-member';
import { claimableWhere, invalidInvitation } from './invitation-link';

export interface JoiningDependencies {
  readonly roles: RoleCatalog;
  readonly audit: AuditLog;
}

/**
 * Claims an open invitation for `user` and makes them a member with its role, inside the caller's
 * transaction (acceptInvitation, and signUp with an inviteToken). Decided under the account's lock on the
 * inviter's role now: an invitation from someone who has since lost the right to invite (or to grant that
 * role) is no longer valid. The claim is one conditional update, so of two concurrent claims one wins.
 */
export async function joinByInvitation(
  transaction: Transaction,
  dependencies: JoiningDependencies,
  joining: { invitation: Invitation; user: User; sessionId: string | null; now: Date },
  request: RequestMetadata,
): Promise<Account> {
  const { invitation, user, now } = joining;
  const claimed = await transaction.invitation.updateMany({ where: claimableWhere(invitation, now), data: { acceptedAt: now, acceptedByUserId: user.id } });
  if (claimed.count === 0) throw invalidInvitation();
  await assertInviterMayStillGrant(transaction, dependencies.roles, invitation);
  const account = await transaction.account.findUniqueOrThrow({ where: { id: invitation.accountId } });
  try {
    await transaction.membership.create({ data: { userId: user.id, accountId: account.id, roleName: invitation.roleName, createdAt: now } });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyMember();
    throw error;
  }
  await dependencies.audit.record(
    {
      type: AuthEventType.MEMBER_ADDED,
      userId: user.id,
      accountId: account.id,
      sessionId: joining.sessionId,
      details: { role: invitation.roleName, invitationId: invitation.id, invitedByUserId: invitation.invitedByUserId },
      ...request,
    },
    transaction,
  );
  return account;
}

async function assertInviterMayStillGrant(transaction: Transaction, roles: RoleCatalog, invitation: Invitation): Promise<void> {
  if (invitation.invitedByUserId === null) throw invalidInvitation();
  try {
    const inviter = await lockActingMember(transaction, roles, { userId: invitation.invitedByUserId, accountId: invitation.accountId, feature: 'invitations', operation: 'c' });
    await assertMayGrant(transaction, roles, inviter, invitation.roleName);
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw unauthenticated(ErrorReason.INVALID_TOKEN, 'This invitation is no longer valid: ask for a new one.');
  }
}

export const alreadyMember = () => badUserInput('email', 'That person is already a member.', ErrorReason.ALREADY_MEMBER);

