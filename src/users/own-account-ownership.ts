import { BuiltInRole } from '../accounts/roles';
import type { Prisma } from '../generated/prisma/client';

/**
 * A verified address makes its user the owner of the accounts their sign-up created, where they were a
 * guest until then: by verifying it (verifyEmail) or by confirming a change to it (confirmEmailChange).
 */
export async function promoteToOwnerOfOwnAccounts(transaction: Prisma.TransactionClient, userId: string): Promise<void> {
  await transaction.membership.updateMany({
    where: { userId, roleName: BuiltInRole.guest, account: { createdByUserId: userId } },
    data: { roleName: BuiltInRole.owner },
  });
}
