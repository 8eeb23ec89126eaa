import { z } from 'zod';
import { isBuiltInRole } from '../accounts/built-in-roles';
import { canonicalAccess } from '../accounts/features';
import type { Role, RoleCatalog } from '../accounts/roles';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { isUniqueViolation } from '../database/unique-violation';
import { AppError, ErrorCode, ErrorReason, badUserInput, forbidden } from '../errors';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { idField, parseInput, roleNameField } from '../graphql/input-validation';
import { includesAll } from '../identity/permission';
import type { Permission } from '../identity/permission';
import type { RequestMetadata } from '../identity/request-metadata';
import { assertMayGrant, assertWithinRights, lockActingMember } from '../members/acting-member';
import type { ActingMember } from '../members/acting-member';
import { formatScope } from '../tokens/scope';

/** Who is acting: their user and session. Their role is read under the account's lock (acting-member.ts). */
export interface Actor {
  readonly userId: string;
  readonly sessionId: string;
}

export interface RoleServiceOptions {
  readonly prisma: PrismaClient;
  readonly roles: RoleCatalog;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** How many roles of its own an account may define. */
  readonly maxRolesPerAccount: number;
}

/** A role with how many members of the account hold it. */
export type RoleDefinition = Role & { readonly memberCount: number };

const permissionsField = z
  .array(z.object({ feature: z.string().max(64, 'too long'), access: z.string().regex(/^[crud]{1,4}$/, 'must be letters of "crud"') }))
  .max(200, 'too many');
const descriptionField = z.string().trim().max(500, 'at most 500 characters');
const customRoleName = roleNameField.refine((name) => name.length <= 48, 'at most 48 characters').refine((name) => !isBuiltInRole(name), 'is a built-in role');

const createSchema = z.object({ accountId: idField, name: customRoleName, description: descriptionField.nullish(), permissions: permissionsField });
const updateSchema = z.object({ accountId: idField, name: roleNameField, description: descriptionField.nullish(), permissions: permissionsField.nullish() });
const deleteSchema = z.object({ accountId: idField, name: roleNameField, replacement: roleNameField.nullish() });

/**
 * An account's own roles, over the features Gatehouse and the application declare. Nobody builds, edits
 * or deletes a role with rights they do not hold (every permission of it within their own, read under
 * the account's lock), so custom roles are no way up. A role's members read its permissions with their
 * session on every request, so an edit takes effect on their next request, and in their next token.
 */
export class RoleService {
  constructor(private readonly options: RoleServiceOptions) {}

  async list(accountId: string): Promise<RoleDefinition[]> {
    const { prisma, roles } = this.options;
    const id = parseInput(idField, accountId, 'accountId');
    const [all, counts] = await Promise.all([
      roles.listIn(prisma, id),
      prisma.membership.groupBy({ by: ['roleName'], where: { accountId: id }, _count: { _all: true } }),
    ]);
    const countOf = new Map(counts.map((count) => [count.roleName, count._count._all]));
    return all.map((role) => ({ ...role, memberCount: countOf.get(role.name) ?? 0 }));
  }

  async create(actor: Actor, input: unknown, request: RequestMetadata): Promise<RoleDefinition> {
    const fields = parseInput(createSchema, input);
    const permissions = this.declared(fields.permissions);
    try {
      return await inTransaction(this.options.prisma, async (transaction) => {
        const acting = await lockActingMember(transaction, this.options.roles, { userId: actor.userId, accountId: fields.accountId, feature: 'roles', operation: 'c' });
        assertHeld(acting, permissions);
        const existing = await transaction.accountRole.count({ where: { accountId: fields.accountId } });
        if (existing >= this.options.maxRolesPerAccount) {
          throw badUserInput('name', `An account may define at most ${this.options.maxRolesPerAccount} roles of its own.`, ErrorReason.ROLE_LIMIT_REACHED);
        }
        const now = this.options.clock.now();
        const row = await transaction.accountRole.create({
          data: { accountId: fields.accountId, name: fields.name, description: fields.description ?? '', permissions: toJson(permissions), createdAt: now, updatedAt: now },
        });
        await this.record(transaction, AuthEventType.ROLE_CREATED, actor, fields.accountId, request, { role: fields.name, scope: formatScope(permissions) });
        return { ...this.options.roles.fromRow(row), memberCount: 0 };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw badUserInput('name', 'This account already has a role of that name.', ErrorReason.ROLE_EXISTS);
      }
      throw error;
    }
  }

  async update(actor: Actor, input: unknown, request: RequestMetadata): Promise<RoleDefinition> {
    const fields = parseInput(updateSchema, input);
    const permissions = fields.permissions ? this.declared(fields.permissions) : null;
    return inTransaction(this.options.prisma, async (transaction) => {
      const acting = await lockActingMember(transaction, this.options.roles, { userId: actor.userId, accountId: fields.accountId, feature: 'roles', operation: 'u' });
      const role = await this.findOwnRole(transaction, acting, fields.name);
      if (permissions) assertHeld(acting, permissions);
      const row = await transaction.accountRole.update({
        where: { accountId_name: { accountId: fields.accountId, name: fields.name } },
        data: {
          ...(fields.description === undefined || fields.description === null ? {} : { description: fields.description }),
          ...(permissions ? { permissions: toJson(permissions) } : {}),
          updatedAt: this.options.clock.now(),
        },
      });
      await this.record(transaction, AuthEventType.ROLE_UPDATED, actor, fields.accountId, request, {
        role: fields.name,
        from: formatScope(role.permissions),
        to: formatScope(permissions ?? role.permissions),
      });
      const memberCount = await transaction.membership.count({ where: { accountId: fields.accountId, roleName: fields.name } });
      return { ...this.options.roles.fromRow(row), memberCount };
    });
  }

  /** Deletes the role; whoever holds it (members, pending invitations) moves to the replacement in the same transaction. */
  async delete(actor: Actor, input: unknown, request: RequestMetadata): Promise<boolean> {
    const fields = parseInput(deleteSchema, input);
    return inTransaction(this.options.prisma, async (transaction) => {
      const acting = await lockActingMember(transaction, this.options.roles, { userId: actor.userId, accountId: fields.accountId, feature: 'roles', operation: 'd' });
      await this.findOwnRole(transaction, acting, fields.name);
      const holders = { accountId: fields.accountId, roleName: fields.name };
      const pendingInvitations = { ...holders, acceptedAt: null, declinedAt: null, revokedAt: null };
      const [members, invitations] = await Promise.all([transaction.membership.count({ where: holders }), transaction.invitation.count({ where: pendingInvitations })]);
      let replacement: string | null = null;
      if (members + invitations > 0) {
        if (!fields.replacement) {
          throw badUserInput('replacement', 'Members or pending invitations hold this role: name the role they move to.', ErrorReason.ROLE_IN_USE);
        }
        if (fields.replacement === fields.name) throw badUserInput('replacement', 'The replacement must be another role.');
        replacement = (await assertMayGrant(transaction, this.options.roles, acting, fields.replacement)).name;
        await transaction.membership.updateMany({ where: holders, data: { roleName: replacement } });
        await transaction.invitation.updateMany({ where: pendingInvitations, data: { roleName: replacement } });
      }
      await transaction.accountRole.delete({ where: { accountId_name: { accountId: fields.accountId, name: fields.name } } });
      await this.record(transaction, AuthEventType.ROLE_DELETED, actor, fields.accountId, request, {
        role: fields.name,
        replacement,
        membersMoved: members,
        invitationsMoved: invitations,
      });
      return true;
    });
  }

  /** The permissions as the features declare them: every feature known, every operation one it supports, each feature once. */
  private declared(permissions: readonly Permission[]): Permission[] {
    const seen = new Set<string>();
    return permissions.map(({ feature, access }, index) => {
      const definition = this.options.roles.features.find(feature);
      if (!definition) throw badUserInput(`permissions.${index}.feature`, `There is no feature "${feature}" (see the features query).`, ErrorReason.UNKNOWN_FEATURE);
      if ([...access].some((operation) => !definition.operations.includes(operation))) {
        throw badUserInput(`permissions.${index}.access`, `The feature "${feature}" supports only "${definition.operations}".`);
      }
      if (seen.has(feature)) throw badUserInput(`permissions.${index}.feature`, `The feature "${feature}" is listed twice.`);
      seen.add(feature);
      return { feature, access: canonicalAccess(access) };
    });
  }

  /** One of the account's own roles, within the actor's rights: built-in roles are nobody's to edit. */
  private async findOwnRole(transaction: Prisma.TransactionClient, acting: ActingMember, name: string): Promise<Role> {
    if (isBuiltInRole(name)) throw badUserInput('name', 'Built-in roles cannot be changed or deleted.', ErrorReason.BUILT_IN_ROLE);
    const role = await this.options.roles.find(transaction, acting.accountId, name);
    if (!role) throw new AppError(ErrorCode.NOT_FOUND, 'This account has no role of that name.', { field: 'name' });
    assertWithinRights(acting, role, 'You cannot change a role with rights you do not hold.');
    return role;
  }

  private record(
    transaction: Prisma.TransactionClient,
    type: AuthEventType,
    actor: Actor,
    accountId: string,
    request: RequestMetadata,
    details: Record<string, string | number | null>,
  ): Promise<void> {
    return this.options.audit.record({ type, userId: actor.userId, sessionId: actor.sessionId, accountId, details, ...request }, transaction);
  }
}

function assertHeld(acting: ActingMember, permissions: readonly Permission[]): void {
  if (!includesAll(acting.access, permissions)) throw forbidden(ErrorReason.ROLE_TOO_HIGH, 'A role can hold only permissions you hold yourself in this account.');
}

const toJson = (permissions: readonly Permission[]): Prisma.InputJsonValue => permissions.map(({ feature, access }) => ({ feature, access }));
