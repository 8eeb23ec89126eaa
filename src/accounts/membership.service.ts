import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { RequestMetadata } from '../http/request-metadata';
import { AppError, badUserInput, ErrorCode, ErrorReason, forbidden } from '../errors';
import type { Account, Membership, PrismaClient, User } from '../generated/prisma/client';
import type { Prisma } from '../generated/prisma/client';
import { emailField, idField, parseInput, roleNameField } from '../input-validation';
import { RevocationReason } from '../sessions/revocation';
import type { SessionService } from '../sessions/session.service';
import { BuiltInRole } from './roles';
import type { RoleCatalog } from './roles';
import { TRANSACTION_OPTIONS } from '../database';

/** Who is acting: their user id and their role in the account being changed. */
export interface Actor {
  readonly userId: string;
  readonly sessionId: string;
  readonly role: string;
}

export interface MembershipServiceOptions {
  readonly prisma: PrismaClient;
  readonly roles: RoleCatalog;
  readonly sessions: SessionService;
  readonly audit: AuditLog;
}

const addMemberSchema = z.object({ accountId: idField, email: emailField, role: roleNameField });
const setMemberRoleSchema = z.object({ accountId: idField, userId: idField, role: roleNameField });
const removeMemberSchema = z.object({ accountId: idField, userId: idField });

/**
 * Adding, re-roling and removing members. Whether the actor holds members:c/u/d is decided by the
 * permission layer; this service enforces what depends on the roles involved: nobody grants or
 * touches a role ranked above their own, and an account never loses its last owner.
 */
export class MembershipService {
  constructor(private readonly options: MembershipServiceOptions) {}

  membershipsOfUser(userId: string): Promise<Membership[]> {
    return this.options.prisma.membership.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
  }

  membersOfAccount(accountId: string): Promise<(Membership & { user: User })[]> {
    return this.options.prisma.membership.findMany({
      where: { accountId },
      include: { user: true },
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
    });
  }

  findMembership(userId: string, accountId: string): Promise<Membership | null> {
    return this.options.prisma.membership.findUnique({ where: { userId_accountId: { userId, accountId } } });
  }

  async addMember(actor: Actor, input: { accountId: string; email: string; role: string }, request: RequestMetadata): Promise<Membership & { user: User; account: Account }> {
    const fields = parseInput(addMemberSchema, input);
    this.assertCanGrant(actor, fields.role);
    const user = await this.options.prisma.user.findUnique({ where: { email: fields.email } });
    if (!user) throw new AppError(ErrorCode.NOT_FOUND, 'No user has that email.', { field: 'email' });
    const existing = await this.findMembership(user.id, fields.accountId);
    if (existing) throw badUserInput('email', 'That user is already a member.', ErrorReason.ALREADY_MEMBER);
    try {
      return await this.options.prisma.$transaction(async (transaction) => {
        const membership = await transaction.membership.create({
          data: { userId: user.id, accountId: fields.accountId, roleName: fields.role },
          include: { user: true, account: true },
        });
        await this.recordChange(transaction, AuthEventType.MEMBER_ADDED, actor, fields.accountId, request, { targetUserId: user.id, role: fields.role });
        return membership;
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      // Two admins adding the same person at once: the loser gets the same answer as above.
      if (isUniqueViolation(error)) throw badUserInput('email', 'That user is already a member.', ErrorReason.ALREADY_MEMBER);
      throw error;
    }
  }

  async setMemberRole(actor: Actor, input: { accountId: string; userId: string; role: string }, request: RequestMetadata): Promise<Membership & { user: User; account: Account }> {
    const fields = parseInput(setMemberRoleSchema, input);
    this.assertCanGrant(actor, fields.role);
    return this.options.prisma.$transaction(async (transaction) => {
      const target = await this.lockTarget(transaction, actor, fields.accountId, fields.userId);
      if (target.roleName === BuiltInRole.owner && fields.role !== BuiltInRole.owner) {
        await this.assertAnotherOwner(transaction, fields.accountId, fields.userId);
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
    }, TRANSACTION_OPTIONS);
  }

  /** Removes the member and ends their sessions in that account at once: their access tokens stop working. */
  async removeMember(actor: Actor, input: { accountId: string; userId: string }, request: RequestMetadata): Promise<boolean> {
    const fields = parseInput(removeMemberSchema, input);
    await this.options.prisma.$transaction(async (transaction) => {
      const target = await this.lockTarget(transaction, actor, fields.accountId, fields.userId);
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
    }, TRANSACTION_OPTIONS);
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

  private assertCanGrant(actor: Actor, roleName: string): void {
    const role = this.options.roles.find(roleName);
    if (!role) throw badUserInput('role', 'There is no such role.');
    if (role.rank > this.options.roles.rankOf(actor.role)) {
      throw forbidden(ErrorReason.ROLE_TOO_HIGH, 'You cannot grant a role above your own.');
    }
  }

  /**
   * Locks the account's memberships (FOR UPDATE) so that two owners demoting each other at the same
   * time cannot both succeed and leave the account ownerless; then checks the actor outranks the target.
   */
  private async lockTarget(transaction: Prisma.TransactionClient, actor: Actor, accountId: string, userId: string): Promise<Membership> {
    await transaction.$queryRaw`SELECT "userId" FROM "Membership" WHERE "accountId" = ${accountId}::uuid FOR UPDATE`;
    const target = await transaction.membership.findUnique({ where: { userId_accountId: { userId, accountId } } });
    if (!target) throw new AppError(ErrorCode.NOT_FOUND, 'That user is not a member of this account.', { field: 'userId' });
    if (this.options.roles.rankOf(target.roleName) > this.options.roles.rankOf(actor.role)) {
      throw forbidden(ErrorReason.ROLE_TOO_HIGH, 'You cannot change a member whose role is above your own.');
    }
    return target;
  }

  private async assertAnotherOwner(transaction: Prisma.TransactionClient, accountId: string, exceptUserId: string): Promise<void> {
    const otherOwners = await transaction.membership.count({
      where: { accountId, roleName: BuiltInRole.owner, userId: { not: exceptUserId } },
    });
    if (otherOwners === 0) throw forbidden(ErrorReason.LAST_OWNER, 'An account must keep at least one owner.');
  }
}

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'P2002';
