import { registerEnumType } from 'type-graphql';
import type { OwnershipTransfer, Prisma } from '../generated/prisma/client';

export enum OwnershipTransferStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}

registerEnumType(OwnershipTransferStatus, { name: 'OwnershipTransferStatus', description: 'Where an ownership transfer stands.' });

/** How long the recipient has to accept: long enough to be away a week, short enough that a forgotten offer lapses. */
export const OWNERSHIP_TRANSFER_TTL_SECONDS = 7 * 24 * 60 * 60;

/** The rows of transfers still open at `now`: neither accepted, declined nor cancelled, and not expired. */
export const pendingTransfer = (now: Date) =>
  ({ acceptedAt: null, declinedAt: null, cancelledAt: null, expiresAt: { gt: now } }) satisfies Prisma.OwnershipTransferWhereInput;

export function statusOf(transfer: OwnershipTransfer, now: Date): OwnershipTransferStatus {
  if (transfer.acceptedAt) return OwnershipTransferStatus.ACCEPTED;
  if (transfer.declinedAt) return OwnershipTransferStatus.DECLINED;
  if (transfer.cancelledAt) return OwnershipTransferStatus.CANCELLED;
  return transfer.expiresAt <= now ? OwnershipTransferStatus.EXPIRED : OwnershipTransferStatus.PENDING;
}
