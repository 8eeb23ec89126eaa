import type { Role, RoleCatalog } from '../accounts/roles';
import { ErrorReason, badUserInput, forbidden } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { permits } from '../identity/permission';
import type { GatehouseFeature, Operation } from '../identity/permission';

/** What an account change needs of the member making it. */
export interface ActingMemberCheck {
  readonly userId: string;
  readonly accountId: string;
  readonly feature: GatehouseFeature;
  readonly operation: Operation;
}

/**
 * Locks the account's memberships (FOR UPDATE) and reads the acting member's own role under that lock:
 * every rank and permission check of the change then uses the role the actor holds at that moment, not
 * the one their access token or the start of the request saw. A demotion that committed first is
 * honoured, and two concurrent changes in one account are decided one after the other (so two owners
 * demoting each other cannot both succeed and leave the account without one).
 */
export async function lockActingMember(transaction: Prisma.TransactionClient, roles: RoleCatalog, check: ActingMemberCheck): Promise<Role> {
  await transaction.$queryRaw`SELECT "userId" FROM "Membership" WHERE "accountId" = ${check.accountId}::uuid FOR UPDATE`;
  const membership = await transaction.membership.findUnique({
    where: { userId_accountId: { userId: check.userId, accountId: check.accountId } },
    include: { user: { select: { emailVerifiedAt: true } } },
  });
  const role = membership ? roles.find(membership.roleName) : undefined;
  const granted = membership && role ? roles.permissionsOfMember(role.name, membership.user.emailVerifiedAt !== null) : [];
  if (!role || !permits(granted, check.feature, check.operation)) {
    throw forbidden(ErrorReason.MISSING_PERMISSION, `Needs ${check.feature}:${check.operation}.`);
  }
  return role;
}

/** The role named exists and ranks no higher than the actor's: nobody grants what they do not hold. */
export function assertMayGrant(roles: RoleCatalog, actor: Role, roleName: string): Role {
  const role = roles.find(roleName);
  if (!role) throw badUserInput('role', 'There is no such role.');
  if (role.rank > actor.rank) throw forbidden(ErrorReason.ROLE_TOO_HIGH, 'You cannot grant a role above your own.');
  return role;
}
