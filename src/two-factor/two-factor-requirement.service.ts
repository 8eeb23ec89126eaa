import { BuiltInRole } from '../accounts/roles';
import { TWO_FACTOR_ROLES, twoFactorRequired } from '../accounts/two-factor-policy';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import { inTransaction } from '../database/transaction';
import { ErrorReason, forbidden } from '../errors';
import type { Account, PrismaClient } from '../generated/prisma/client';
import { idField, parseInput } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';

export interface TwoFactorRequirementServiceOptions {
  readonly prisma: PrismaClient;
  readonly audit: AuditLog;
}

/** An account's rule that its owners and admins must have 2FA on (enforced by two-factor-policy.ts at every way in). */
export class TwoFactorRequirementService {
  constructor(private readonly options: TwoFactorRequirementServiceOptions) {}

  /** Owners only (the permission layer checks the session's role; this re-reads the membership). */
  async setRequirement(
    actor: { readonly userId: string; readonly sessionId: string },
    accountId: string,
    isRequired: boolean,
    request: RequestMetadata,
  ): Promise<Account> {
    const id = parseInput(idField, accountId, 'accountId');
    const membership = await this.options.prisma.membership.findUnique({
      where: { userId_accountId: { userId: actor.userId, accountId: id } },
      include: { user: true },
    });
    // The access token's role may predate a demotion by minutes.
    if (membership?.roleName !== BuiltInRole.owner) throw forbidden(ErrorReason.MISSING_PERMISSION, 'Only owners may change this.');
    // Requiring it without having it would refuse this owner's own next login into the account.
    if (isRequired && membership.user.totpEnabledAt === null) throw twoFactorRequired('Turn on two-factor authentication for yourself first.');
    return inTransaction(this.options.prisma, async (transaction) => {
      const account = await transaction.account.update({ where: { id }, data: { requireTwoFactor: isRequired } });
      await this.options.audit.record(
        {
          type: AuthEventType.TWO_FACTOR_REQUIREMENT_CHANGED,
          userId: actor.userId,
          sessionId: actor.sessionId,
          accountId: id,
          details: { required: isRequired },
          ...request,
        },
        transaction,
      );
      return account;
    });
  }

  /** Whether some account the user owns or administers requires 2FA of them. */
  async isRequiredOf(userId: string): Promise<boolean> {
    const count = await this.options.prisma.membership.count({
      where: { userId, roleName: { in: [...TWO_FACTOR_ROLES] }, account: { requireTwoFactor: true } },
    });
    return count > 0;
  }
}
