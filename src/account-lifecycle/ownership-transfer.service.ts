import { z } from 'zod';
import { BuiltInRole } from '../accounts/roles';
import type { RoleCatalog } from '../accounts/roles';
import { isTwoFactorRequiredFor, twoFactorRequired } from '../accounts/two-factor-policy';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import type { Transaction } from '../database/transaction';
import { AppError, badUserInput, ErrorCode, ErrorReason, forbidden } from '../errors';
import type { Account, OwnershipTransfer, PrismaClient } from '../generated/prisma/client';
import { idField, parseInput } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import { lockAccountMemberships } from '../members/acting-member';
import type { SensitiveChangeConfirmation, SensitiveChangeCredentials } from '../passwords/sensitive-change-proof';
import type { Actor } from './account-lifecycle.service';
import { lockOwner } from './account-lock';
import { OWNERSHIP_TRANSFER_TTL_SECONDS, pendingTransfer, statusOf } from './ownership-transfer-status';
import type { OwnershipTransferStatus } from './ownership-transfer-status';

export interface OwnershipTransferServiceOptions {
  readonly prisma: PrismaClient;
  readonly roles: RoleCatalog;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly confirmation: SensitiveChangeConfirmation;
}

/** A transfer as its sender or recipient sees it. */
export type OwnershipTransferView = OwnershipTransfer & { readonly status: OwnershipTransferStatus };

const transferSchema = z.object({ accountId: idField, userId: idField });

/**
 * Handing an account's ownership to one of its members takes the recipient's consent: an owner offers
 * (with their password), and nothing changes until the recipient accepts. Then, under the account's
 * lock, the sender must still be an owner and the recipient still a member; the recipient becomes an
 * owner and the sender an admin, so the number of owners never drops and an account never has none
 * (members/ and leaving take the same lock). Offers lapse after seven days.
 */
export class OwnershipTransferService {
  constructor(private readonly options: OwnershipTransferServiceOptions) {}

  /** Owners only. Replaces the sender's earlier open offer in the account: one open offer per owner and account. */
  async offer(actor: Actor, input: { accountId: string; userId: string } & SensitiveChangeCredentials, request: RequestMetadata): Promise<OwnershipTransferView> {
    const fields = parseInput(transferSchema, input);
    await this.options.confirmation.confirm(actor, input, 'TRANSFER_OWNERSHIP', request);
    const now = this.options.clock.now();
    return inTransaction(this.options.prisma, async (transaction) => {
      await lockOwner(transaction, this.options.roles, { userId: actor.userId, accountId: fields.accountId });
      if (fields.userId === actor.userId) throw badUserInput('userId', 'You already own this account.');
      const recipient = await transaction.membership.findUnique({ where: { userId_accountId: { userId: fields.userId, accountId: fields.accountId } } });
      // Users of other accounts look the same as no user at all: the sender learns nothing beyond their own member list.
      if (!recipient) throw new AppError(ErrorCode.NOT_FOUND, 'That user is not a member of this account.', { field: 'userId' });
      if (recipient.roleName === BuiltInRole.owner) throw badUserInput('userId', 'That member is already an owner.');
      await transaction.ownershipTransfer.updateMany({
        where: { accountId: fields.accountId, fromUserId: actor.userId, ...pendingTransfer(now) },
        data: { cancelledAt: now },
      });
      const transfer = await transaction.ownershipTransfer.create({
        data: { accountId: fields.accountId, fromUserId: actor.userId, toUserId: fields.userId, createdAt: now, expiresAt: addSeconds(now, OWNERSHIP_TRANSFER_TTL_SECONDS) },
      });
      await this.record(transaction, AuthEventType.OWNERSHIP_TRANSFER_OFFERED, actor, transfer, request);
      return { ...transfer, status: statusOf(transfer, now) };
    });
  }

  /** The open offers made to the viewer, newest first. */
  async offeredTo(userId: string): Promise<OwnershipTransferView[]> {
    const now = this.options.clock.now();
    const transfers = await this.options.prisma.ownershipTransfer.findMany({ where: { toUserId: userId, ...pendingTransfer(now) }, orderBy: { createdAt: 'desc' } });
    return transfers.map((transfer) => ({ ...transfer, status: statusOf(transfer, now) }));
  }

  /** The recipient makes the transfer: they become an owner, the sender an admin. */
  async accept(actor: Actor, transferId: string, request: RequestMetadata): Promise<Account> {
    const id = parseInput(idField, transferId, 'id');
    const now = this.options.clock.now();
    return inTransaction(this.options.prisma, async (transaction) => {
      const transfer = await this.findOwn(transaction, id, { toUserId: actor.userId });
      await lockAccountMemberships(transaction, transfer.accountId);
      const claimed = await transaction.ownershipTransfer.updateMany({ where: { id, ...pendingTransfer(now) }, data: { acceptedAt: now } });
      if (claimed.count === 0) throw transferClosed();
      const memberships = await transaction.membership.findMany({
        where: { accountId: transfer.accountId, userId: { in: [transfer.fromUserId, transfer.toUserId] } },
        include: { user: true, account: true },
      });
      const sender = memberships.find((membership) => membership.userId === transfer.fromUserId);
      const recipient = memberships.find((membership) => membership.userId === transfer.toUserId);
      if (!recipient) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are no longer a member of this account.');
      // Demoted or gone since the offer: they no longer hold what they offered.
      if (sender?.roleName !== BuiltInRole.owner) throw forbidden(ErrorReason.OWNERSHIP_TRANSFER_CLOSED, 'The sender is no longer an owner of this account.');
      if (recipient.user.totpEnabledAt === null && isTwoFactorRequiredFor(recipient.account, BuiltInRole.owner)) {
        throw twoFactorRequired('This account requires two-factor authentication of its owners: turn it on first, then accept.');
      }
      await transaction.membership.update({ where: { userId_accountId: { userId: recipient.userId, accountId: transfer.accountId } }, data: { roleName: BuiltInRole.owner } });
      await transaction.membership.update({ where: { userId_accountId: { userId: sender.userId, accountId: transfer.accountId } }, data: { roleName: BuiltInRole.admin } });
      await this.record(transaction, AuthEventType.OWNERSHIP_TRANSFER_ACCEPTED, actor, transfer, request);
      return recipient.account;
    });
  }

  async decline(actor: Actor, transferId: string, request: RequestMetadata): Promise<true> {
    return this.close(actor, parseInput(idField, transferId, 'id'), { toUserId: actor.userId }, 'declinedAt', AuthEventType.OWNERSHIP_TRANSFER_DECLINED, request);
  }

  /** The sender withdraws the offer; allowed even if they have lost ownership since. */
  async cancel(actor: Actor, transferId: string, request: RequestMetadata): Promise<true> {
    return this.close(actor, parseInput(idField, transferId, 'id'), { fromUserId: actor.userId }, 'cancelledAt', AuthEventType.OWNERSHIP_TRANSFER_CANCELLED, request);
  }

  private async close(
    actor: Actor,
    id: string,
    party: { toUserId: string } | { fromUserId: string },
    column: 'declinedAt' | 'cancelledAt',
    event: AuthEventType,
    request: RequestMetadata,
  ): Promise<true> {
    const now = this.options.clock.now();
    await inTransaction(this.options.prisma, async (transaction) => {
      const transfer = await this.findOwn(transaction, id, party);
      const closed = await transaction.ownershipTransfer.updateMany({ where: { id, ...pendingTransfer(now) }, data: { [column]: now } });
      if (closed.count === 0) throw transferClosed();
      await this.record(transaction, event, actor, transfer, request);
    });
    return true;
  }

  /** The transfer, when the actor is the party named; anyone else's id answers as one that does not exist. */
  private async findOwn(transaction: Transaction, id: string, party: { toUserId: string } | { fromUserId: string }): Promise<OwnershipTransfer> {
    const transfer = await transaction.ownershipTransfer.findFirst({ where: { id, ...party } });
    if (!transfer) throw new AppError(ErrorCode.NOT_FOUND, 'There is no such ownership transfer for you.', { field: 'id' });
    return transfer;
  }

  private record(transaction: Transaction, type: AuthEventType, actor: Actor, transfer: OwnershipTransfer, request: RequestMetadata): Promise<void> {
    return this.options.audit.record(
      {
        type,
        userId: actor.userId,
        sessionId: actor.sessionId,
        accountId: transfer.accountId,
        details: { transferId: transfer.id, fromUserId: transfer.fromUserId, toUserId: transfer.toUserId },
        ...request,
      },
      transaction,
    );
  }
}

const transferClosed = () =>
  forbidden(ErrorReason.OWNERSHIP_TRANSFER_CLOSED, 'This ownership transfer is no longer open: it was accepted, declined or cancelled, or it has expired.');
