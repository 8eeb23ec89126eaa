import { BuiltInRole } from '../accounts/roles';
import type { Role, RoleCatalog } from '../accounts/roles';
import type { Transaction } from '../database/transaction';
import { ErrorReason, forbidden } from '../errors';
import type { Operation } from '../identity/permission';
import { lockActingMember } from '../members/acting-member';


/**
 * Locks the account (lockActingMember) and requires the actor to be an owner of it at this moment: what
 * only owners decide (handing ownership on) is no per-feature permission, since admins hold account:u too.
 */
export async function lockOwner(transaction: Transaction, roles: RoleCatalog, actor: { userId: string; accountId: string }, operation: Operation = 'u'): Promise<Role> {
  const { role } = await lockActingMember(transaction, roles, { userId: actor.userId, accountId: actor.accountId, feature: 'account', operation });
  if (role.name !== BuiltInRole.owner) throw forbidden(ErrorReason.MISSING_PERMISSION, 'Only owners may do this.');
  return role;
}

/** Other owners of the account than `exceptUserId`, read under the account's lock: an account never loses its last owner. */
export async function assertAnotherOwner(transaction: Transaction, accountId: string, exceptUserId: string, message: string): Promise<void> {
  const otherOwners = await transaction.membership.count({ where: { accountId, roleName: BuiltInRole.owner, userId: { not: exceptUserId } } });
  if (otherOwners === 0) throw forbidden(ErrorReason.LAST_OWNER, message);
}
