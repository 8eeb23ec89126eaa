import type { Prisma } from '../generated/prisma/client';
import type { Metrics } from '../metrics/metrics';
import { revokeSessions } from './revocation';
import type { RevocationReason } from './revocation';

export interface CredentialChange {
  readonly userId: string;
  readonly now: Date;
  readonly reason: RevocationReason;
  /** The session that made the change, when it stays (a change made while signed in). */
  readonly keptSessionId: string | null;
}

/**
 * Ends everything the user's old credentials vouched for, inside the transaction that changes them
 * (password reset or change, second factor on or off): their other sessions, and every proof still
 * outstanding: account selections and second-factor challenges issued on the old password, and every
 * mailed link. Nothing proven with the old credentials outlives them, so a stolen selection token, a
 * half-finished login or a reset link in someone else's mailbox is worthless once the owner acts.
 */
export async function endWhatOldCredentialsProved(transaction: Prisma.TransactionClient, change: CredentialChange, metrics: Metrics): Promise<void> {
  const { userId, now } = change;
  const ended = await revokeSessions(transaction, change.keptSessionId === null ? { userId } : { userId, id: { not: change.keptSessionId } }, change.reason, now);
  metrics.sessionsRevoked(change.reason, ended);
  const outstanding = { where: { userId, consumedAt: null }, data: { consumedAt: now } };
  await transaction.accountSelection.updateMany(outstanding);
  await transaction.loginChallenge.updateMany(outstanding);
  await transaction.emailToken.updateMany(outstanding);
}
