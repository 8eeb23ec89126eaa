import { BuiltInRole } from '../accounts/roles';
import type { Role, RoleCatalog } from '../accounts/roles';
import { ErrorReason, badUserInput, forbidden } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { includesAll, permits } from '../identity/permission';
import type { GatehouseFeature, Operation, Permission } from '../identity/permission';

/** What an account change needs of the member making it. */
export interface ActingMemberCheck {
  readonly userId: string;
  readonly accountId: string;
  readonly feature: GatehouseFeature;
  readonly operation: Operation;
}

/** The member making a change, as their role stands under the account's lock. */
export interface ActingMember {
  readonly accountId: string;
  readonly role: Role;
  /** What they may do now: their role's permissions (none before their email is verified). */
  readonly access: readonly Permission[];
}

/**
 * Locks the account's memberships (FOR UPDATE) and reads the acting member's own role under that lock:
 * every permission check of the change then uses the role the actor holds at that moment, not the one
 * their access token or the start of the request saw. A demotion or a narrowed role that committed first
 * is honoured, and two concurrent changes in one account are decided one after the other (so two owners
 * demoting each other cannot both succeed and leave the account without one). Every change to the
 * account's roles takes this lock too, so a role cannot change between being checked and being granted.
 */
export async function lockActingMember(transaction: Prisma.TransactionClient, roles: RoleCatalog, check: ActingMemberCheck): Promise<ActingMember> {
  await lockAccountMemberships(transaction, check.accountId);
  const membership = await transaction.membership.findUnique({
    where: { userId_accountId: { userId: check.userId, accountId: check.accountId } },
    include: { user: { select: { emailVerifiedAt: true } } },
  });
  const role = membership ? await roles.find(transaction, check.accountId, membership.roleName) : undefined;
  const access = membership ? roles.accessOf(role, membership.user.emailVerifiedAt !== null) : [];
  if (!role || !permits(access, check.feature, check.operation)) {
    throw forbidden(ErrorReason.MISSING_PERMISSION, `Needs ${check.feature}:${check.operation}.`);
  }
  return { accountId: check.accountId, role, access };
}

/**
 * Locks the account's memberships (FOR UPDATE): the one lock every change of an account's members, roles,
 * ownership or existence takes first, so such changes in one account are decided one after the other.
 */
export async function lockAccountMemberships(transaction: Prisma.TransactionClient, accountId: string): Promise<void> {
  await transaction.$queryRaw`SELECT "userId" FROM "Membership" WHERE "accountId" = ${accountId}::uuid FOR UPDATE`;
}

/**
 * The role named exists in the actor's account and is within the actor's own rights: nobody grants what
 * they do not hold, and only an owner makes an owner.
 */
export async function assertMayGrant(transaction: Prisma.TransactionClient, roles: RoleCatalog, actor: ActingMember, roleName: string): Promise<Role> {
  const role = await roles.find(transaction, actor.accountId, roleName);
  if (!role) throw badUserInput('role', 'There is no such role in this account.');
  assertWithinRights(actor, role, 'You cannot grant a role with rights you do not hold yourself.');
  return role;
}

/**
 * Whether the actor may act on something that holds `role` (a member to re-role or remove, a role to edit
 * or delete): only when the role is within the actor's own rights, and an owner only by an owner.
 */
export function assertWithinRights(actor: ActingMember, role: Role, message: string): void {
  const isOwnerOnly = role.name === BuiltInRole.owner && actor.role.name !== BuiltInRole.owner;
  if (isOwnerOnly || !includesAll(actor.access, role.permissions)) throw forbidden(ErrorReason.ROLE_TOO_HIGH, message);
}
