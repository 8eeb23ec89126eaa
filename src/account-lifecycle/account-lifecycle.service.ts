import { z } from 'zod';
import { BuiltInRole } from '../accounts/roles';
import type { RoleCatalog } from '../accounts/roles';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { badUserInput, ErrorReason, forbidden } from '../errors';
import type { Account, PrismaClient } from '../generated/prisma/client';
import { displayNameField, idField, parseInput } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import { lockAccountMemberships, lockActingMember } from '../members/acting-member';
import type { SensitiveChangeConfirmation, SensitiveChangeCredentials } from '../passwords/sensitive-change-proof';
import { RevocationReason } from '../sessions/revocation';
import type { SessionService } from '../sessions/session.service';
import { assertAnotherOwner, lockOwner } from './account-lock';
import { pendingTransfer } from './ownership-transfer-status';

/** Who is acting: their user and session. Their role is read under the account's lock in each change. */
export interface Actor {
  readonly userId: string;
  readonly sessionId: string;
}

export interface AccountLifecycleServiceOptions {
  readonly prisma: PrismaClient;
  readonly roles: RoleCatalog;
  readonly sessions: SessionService;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly confirmation: SensitiveChangeConfirmation;
}

const updateAccountSchema = z.object({ accountId: idField, name: displayNameField });
// Compared exactly as typed (no trimming or normalizing): the point is that the owner typed the name.
const deleteAccountSchema = z.object({ accountId: idField, confirmName: z.string().max(400, 'too long') });

/** Renaming an account, leaving it, deleting it. Each is decided under the account's lock. */
export class AccountLifecycleService {
  constructor(private readonly options: AccountLifecycleServiceOptions) {}

  /** Needs account:u, checked again here on the role held at this moment. */
  async updateAccount(actor: Actor, input: { accountId: string; name: string }, request: RequestMetadata): Promise<Account> {
    const fields = parseInput(updateAccountSchema, input);
    return inTransaction(this.options.prisma, async (transaction) => {
      await lockActingMember(transaction, this.options.roles, { userId: actor.userId, accountId: fields.accountId, feature: 'account', operation: 'u' });
      const before = await transaction.account.findUniqueOrThrow({ where: { id: fields.accountId } });
      const updated = await transaction.account.update({ where: { id: fields.accountId }, data: { name: fields.name } });
      await this.options.audit.record(
        { type: AuthEventType.ACCOUNT_UPDATED, userId: actor.userId, sessionId: actor.sessionId, accountId: fields.accountId, details: { from: before.name, to: updated.name }, ...request },
        transaction,
      );
      return updated;
    });
  }

  /**
   * Any member but the last owner may leave; their sessions in the account end at once, and ownership
   * transfers they sent or were offered there are cancelled (one could no longer be accepted anyway).
   */
  async leaveAccount(actor: Actor, accountId: string, request: RequestMetadata): Promise<true> {
    const id = parseInput(idField, accountId, 'accountId');
    const now = this.options.clock.now();
    await inTransaction(this.options.prisma, async (transaction) => {
      await lockAccountMemberships(transaction, id);
      const membership = await transaction.membership.findUnique({ where: { userId_accountId: { userId: actor.userId, accountId: id } } });
      // The same answer for an account that does not exist: ids cannot be probed.
      if (!membership) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of that account.');
      if (membership.roleName === BuiltInRole.owner) {
        await assertAnotherOwner(transaction, id, actor.userId, 'You are its last owner: transfer ownership or delete the account instead.');
      }
      await transaction.membership.delete({ where: { userId_accountId: { userId: actor.userId, accountId: id } } });
      await this.options.sessions.revokeWhere(transaction, { userId: actor.userId, accountId: id }, RevocationReason.LEFT_ACCOUNT);
      await transaction.ownershipTransfer.updateMany({
        where: { accountId: id, OR: [{ fromUserId: actor.userId }, { toUserId: actor.userId }], ...pendingTransfer(now) },
        data: { cancelledAt: now },
      });
      await this.options.audit.record(
        { type: AuthEventType.MEMBER_LEFT, userId: actor.userId, sessionId: actor.sessionId, accountId: id, details: { role: membership.roleName }, ...request },
        transaction,
      );
    });
    return true;
  }

  /**
   * Owners only (account:d), with the account's exact name and the current password. The account goes
   * with its memberships, sessions (so every access and refresh token naming it is refused from the next
   * request), invitations and ownership transfers (onDelete: Cascade); the audit log keeps its rows
   * (AuthEvent has no foreign key) and gains ACCOUNT_DELETED. A member left with no account gets an
   * empty account choice at their next login, and can createAccount with its selection token.
   */
  async deleteAccount(actor: Actor, input: { accountId: string; confirmName: string } & SensitiveChangeCredentials, request: RequestMetadata): Promise<true> {
    const fields = parseInput(deleteAccountSchema, input);
    // The name first, which costs no password guess; the rule already required account:d in the session's account.
    await this.assertNameConfirmed(this.options.prisma, fields.accountId, fields.confirmName);
    await this.options.confirmation.confirm(actor, input, 'DELETE_ACCOUNT', request);
    await inTransaction(this.options.prisma, async (transaction) => {
      // Owners only, even where an account role was given account:d: deleting is as final as handing over.
      const role = await lockOwner(transaction, this.options.roles, { userId: actor.userId, accountId: fields.accountId }, 'd');
      // Renamed meanwhile: the owner confirmed another name than the one about to go.
      const account = await this.assertNameConfirmed(transaction, fields.accountId, fields.confirmName);
      const members = await transaction.membership.count({ where: { accountId: account.id } });
      const sessionsEnded = await this.options.sessions.revokeWhere(transaction, { accountId: account.id }, RevocationReason.ACCOUNT_DELETED);
      await this.options.audit.record(
        {
          type: AuthEventType.ACCOUNT_DELETED,
          userId: actor.userId,
          sessionId: actor.sessionId,
          accountId: account.id,
          details: { name: account.name, role: role.name, members, sessionsEnded },
          ...request,
        },
        transaction,
      );
      await transaction.account.delete({ where: { id: account.id } });
    });
    return true;
  }

  private async assertNameConfirmed(reader: Pick<PrismaClient, 'account'>, accountId: string, confirmName: string): Promise<Account> {
    const account = await reader.account.findUnique({ where: { id: accountId } });
    if (!account) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of that account.');
    if (account.name !== confirmName) throw badUserInput('confirmName', "confirmName must be the account's name exactly.");
    return account;
  }
}
