import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BuiltInRole } from '../accounts/roles';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import { erasePersonFromAuditLog } from '../audit/personal-data-erasure';
import { inTransaction } from '../database/transaction';
import { AppError, ErrorCode, ErrorReason } from '../errors';
import type { Membership, Prisma, PrismaClient } from '../generated/prisma/client';
import { parseInput } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { SensitiveChangeConfirmation, SensitiveChangeCredentials } from '../passwords/sensitive-change-proof';

export interface UserDeletionOptions {
  readonly prisma: PrismaClient;
  readonly confirmation: SensitiveChangeConfirmation;
  readonly audit: AuditLog;
}

const deleteMyUserSchema = z.object({ currentPassword: z.string(), twoFactorCode: z.string().max(64, 'too long').nullish() });

/**
 * A user deleting themself (GDPR art. 17). One transaction: it all happens or none of it does. Their
 * sessions, refresh tokens, links and memberships go with the user row (foreign keys cascade), so every
 * token they held stops working on its next use; accounts they were alone in go too; the audit log keeps
 * its events without what identifies them (audit/personal-data-erasure.ts), and the invitations they
 * accepted go. Invitations still open to their address stay: they belong to the accounts that sent
 * them, name only an address (which anyone may sign up with again), and lapse.
 */
export class UserDeletionService {
  constructor(private readonly options: UserDeletionOptions) {}

  async deleteMyUser(viewer: { userId: string; sessionId: string }, input: SensitiveChangeCredentials, request: RequestMetadata): Promise<true> {
    const { prisma, confirmation, audit } = this.options;
    const fields = parseInput(deleteMyUserSchema, input);
    const user = await confirmation.confirm(viewer, fields, 'DELETE_USER', request);
    await inTransaction(prisma, async (transaction) => {
      const memberships = await lockMembershipsOfAccountsOf(transaction, user.id);
      const { aloneIn, lastOwnerOf } = standing(user.id, memberships);
      if (lastOwnerOf.length > 0) {
        throw new AppError(ErrorCode.FORBIDDEN, 'You are the last owner of an account with other members: make one of them an owner, or remove them, first.', {
          reason: ErrorReason.LAST_OWNER,
          accountIds: lastOwnerOf,
        });
      }
      const pseudonym = randomUUID();
      await erasePersonFromAuditLog(transaction, { userId: user.id, email: user.email, pseudonym });
      await transaction.account.deleteMany({ where: { id: { in: aloneIn } } });
      // Spent invitations they accepted hold their address and id (no foreign key); the log keeps that they joined.
      await transaction.invitation.deleteMany({ where: { acceptedByUserId: user.id } });
      await transaction.user.delete({ where: { id: user.id } });
      // Under the pseudonym, with no address or browser: the event must not bring back what the erasure removed.
      await audit.record({ type: AuthEventType.USER_DELETED, userId: pseudonym, details: { accountsDeleted: aloneIn.length, membershipsEnded: memberships.filter((membership) => membership.userId === user.id).length } }, transaction);
    });
    return true;
  }
}

/**
 * Every membership of every account the user belongs to, locked (FOR UPDATE) as lockActingMember locks an
 * account's: a concurrent demotion, removal or departure of another owner is decided before or after this
 * deletion, never beside it, so an account cannot end up with members and no owner. Locked in one order
 * (by account, then user) so two deletions sharing accounts wait for each other rather than deadlock.
 */
async function lockMembershipsOfAccountsOf(transaction: Prisma.TransactionClient, userId: string): Promise<Membership[]> {
  await transaction.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${userId}::uuid FOR UPDATE`;
  await transaction.$queryRaw`SELECT m."userId" FROM "Membership" m
    WHERE m."accountId" IN (SELECT "accountId" FROM "Membership" WHERE "userId" = ${userId}::uuid)
    ORDER BY m."accountId", m."userId" FOR UPDATE`;
  const own = await transaction.membership.findMany({ where: { userId }, select: { accountId: true } });
  return transaction.membership.findMany({ where: { accountId: { in: own.map((membership) => membership.accountId) } } });
}

/** The accounts the user is the only member of, and those they are the last owner of while others remain. */
function standing(userId: string, memberships: readonly Membership[]): { aloneIn: string[]; lastOwnerOf: string[] } {
  const byAccount = new Map<string, Membership[]>();
  for (const membership of memberships) byAccount.set(membership.accountId, [...(byAccount.get(membership.accountId) ?? []), membership]);
  const aloneIn: string[] = [];
  const lastOwnerOf: string[] = [];
  for (const [accountId, members] of byAccount) {
    const others = members.filter((member) => member.userId !== userId);
    const isOwner = members.some((member) => member.userId === userId && member.roleName === BuiltInRole.owner);
    if (others.length === 0) aloneIn.push(accountId);
    else if (isOwner && !others.some((member) => member.roleName === BuiltInRole.owner)) lastOwnerOf.push(accountId);
  }
  return { aloneIn, lastOwnerOf };
}
