import { z } from 'zod';
import { BuiltInRole } from '../accounts/roles';
import type { RoleCatalog } from '../accounts/roles';
import { isTwoFactorRequiredFor, twoFactorRequired } from '../accounts/two-factor-policy';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import { inTransaction } from '../database/transaction';
import { AppError, ErrorCode, ErrorReason, forbidden } from '../errors';
import type { Account, Membership, PrismaClient, User, Prisma } from '../generated/prisma/client';
import { idField, parseInput, roleNameField } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import { RevocationReason } from '../sessions/revocation';
import type { SessionService } from '../sessions/session.service';
import { assertMayGrant, assertWithinRights, lockActingMember } from './acting-member';
import type { ActingMember } from './acting-member';

/** Who is acting: their user and session. Their role is read inside each change (acting-member.ts). */
export interface Actor {
  readonly userId: string;
  readonly sessionId: string;
}

export interface MembershipServiceOptions {
  readonly prisma: PrismaClient;
  readonly roles: RoleCatalog;
  readonly sessions: SessionService;
  readonly audit: AuditLog;
}

const setMemberRoleSchema = z.object({ accountId: idField, userId: idField, role: roleNameField });
const removeMemberSchema = z.object({ accountId: idField, userId: idField });

/**
 * Re-roling and removing members (people join by invitation: invitations/). Whether the actor holds
 * members:u/d is decided by the permission layer on the role read with their session, and again here
 * under the account's lock; this service also enforces what depends on the roles involved: nobody
 * grants or touches a role with rights they do not hold, and an account never loses its last owner.
 */
export class MembershipService {
  constructor(private readonly options: MembershipServiceOptions) {}

  async setMemberRole(actor: Actor, input: { accountId: string; userId: string; role: string }, request: RequestMetadata): Promise<Membership & { user: User; account: Account }> {
    const fields = parseInput(setMemberRoleSchema, input);
    return inTransaction(this.options.prisma, async (transaction) => {
      const acting = await lockActingMember(transaction, this.options.roles, { userId: actor.userId, accountId: fields.accountId, feature: 'members', operation: 'u' });
      await assertMayGrant(transaction, this.options.roles, acting, fields.role);
      const target = await this.findTarget(transaction, acting, fields.accountId, fields.userId);
      if (target.roleName === BuiltInRole.owner && fields.role !== BuiltInRole.owner) {
        await this.assertAnotherOwner(transaction, fields.accountId, fields.userId);
      }
      // Said here, to the one promoting, rather than by refusing the member's every request from now on.
      if (target.user.totpEnabledAt === null && isTwoFactorRequiredFor(target.account, fields.role)) {
        throw twoFactorRequired('That member must turn on two-factor authentication first: this account requires it for that role.');
      }
      const updated = await transaction.membership.update({
        where: { userId_accountId: { userId: fields.userId, accountId: fields.accountId } },
        data: { roleName: fields.role },
        include: { user: true, account: true },
      });
      await this.recordChange(transaction, AuthEventType.MEMBER_ROLE_CHANGED, actor, fields.accountId, request, {
        targetUserId: fields.userId,
        from: target.roleName,
        to: fields.role,
      });
      return updated;
    });
  }

  /** Removes the member and ends their sessions in that account at once: their access tokens stop working. */
  async removeMember(actor: Actor, input: { accountId: string; userId: string }, request: RequestMetadata): Promise<boolean> {
    const fields = parseInput(removeMemberSchema, input);
    await inTransaction(this.options.prisma, async (transaction) => {
      const acting = await lockActingMember(transaction, this.options.roles, { userId: actor.userId, accountId: fields.accountId, feature: 'members', operation: 'd' });
      const target = await this.findTarget(transaction, acting, fields.accountId, fields.userId);
      if (target.roleName === BuiltInRole.owner) await this.assertAnotherOwner(transaction, fields.accountId, fields.userId);
      await transaction.membership.delete({ where: { userId_accountId: { userId: fields.userId, accountId: fields.accountId } } });
      await this.options.sessions.revokeWhere(
        transaction,
        { userId: fields.userId, accountId: fields.accountId },
        RevocationReason.MEMBERSHIP_REMOVED,
      );
      await this.recordChange(transaction, AuthEventType.MEMBER_REMOVED, actor, fields.accountId, request, {
        targetUserId: fields.userId,
        role: target.roleName,
      });
    });
    return true;
  }

  private recordChange(
    transaction: Prisma.TransactionClient,
    type: AuthEventType,
    actor: Actor,
    accountId: string,
    request: RequestMetadata,
    details: Record<string, string>,
  ): Promise<void> {
    return this.options.audit.record({ type, userId: actor.userId, sessionId: actor.sessionId, accountId, details, ...request }, transaction);
  }

  /** The member being changed, read under the account's lock; their role must be within the actor's rights. */
  private async findTarget(transaction: Prisma.TransactionClient, acting: ActingMember, accountId: string, userId: string): Promise<Membership & { user: User; account: Account }> {
    const target = await transaction.membership.findUnique({ where: { userId_accountId: { userId, accountId } }, include: { user: true, account: true } });
    if (!target) throw new AppError(ErrorCode.NOT_FOUND, 'That user is not a member of this account.', { field: 'userId' });
    const role = await this.options.roles.find(transaction, accountId, target.roleName);
    // A member whose role is gone holds nothing, so anyone who may change members may fix them.
    if (role) assertWithinRights(acting, role, 'You cannot change a member whose role has rights you do not hold.');
    return target;
  }

  private async assertAnotherOwner(transaction: Prisma.TransactionClient, accountId: string, exceptUserId: string): Promise<void> {
    const otherOwners = await transaction.membership.count({
      where: { accountId, roleName: BuiltInRole.owner, userId: { not: exceptUserId } },
    });
    if (otherOwners === 0) throw forbidden(ErrorReason.LAST_OWNER, 'An account must keep at least one owner.');
  }
}
