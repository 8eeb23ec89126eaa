import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Permission } from '../identity/permission';
import { isBuiltInRole } from './built-in-roles';
import type { BuiltInRoleName } from './built-in-roles';
import type { FeatureCatalog } from './features';

export { BuiltInRole } from './built-in-roles';

export interface Role {
  readonly name: string;
  readonly description: string;
  /** One of the roles every account has; false for an account's own (AccountRole). */
  readonly builtIn: boolean;
  /** What the role grants, as far as the features declared now allow. */
  readonly permissions: readonly Permission[];
}

/** Where a role is read from: the client or an open transaction (then under the caller's locks). */
type RoleReader = Pick<PrismaClient | Prisma.TransactionClient, 'accountRole'>;

/**
 * The roles of an account: the built-in ones, held in memory (their rights on Gatehouse's features are
 * seeded in the database, on the application's come from the features file, and both change only with
 * a deployment), and the account's own, read from the database every time they decide anything, so a
 * changed role takes effect on the next request. The bearer check and refresh read an account role's
 * permissions in the statement they already run (roleOf); everything else asks `find`.
 */
export class RoleCatalog {
  private readonly builtIns: ReadonlyMap<string, Role>;

  constructor(
    builtIns: readonly Role[],
    readonly features: FeatureCatalog,
  ) {
    this.builtIns = new Map(builtIns.map((role) => [role.name, role]));
  }

  static async load(prisma: PrismaClient, features: FeatureCatalog): Promise<RoleCatalog> {
    const rows = await prisma.role.findMany({ include: { permissions: true }, orderBy: { rank: 'desc' } });
    return new RoleCatalog(
      rows.filter((row) => isBuiltInRole(row.name)).map((row) => ({
        name: row.name,
        description: row.description,
        builtIn: true,
        permissions: sortByFeature(
          features.grantable([
            ...row.permissions.map(({ feature, access }) => ({ feature, access })),
            ...features.applicationAccessOf(row.name as BuiltInRoleName),
          ]),
        ),
      })),
      features,
    );
  }

  /** The built-in roles, highest first. */
  listBuiltIn(): readonly Role[] {
    return [...this.builtIns.values()];
  }

  isBuiltIn(name: string): boolean {
    return this.builtIns.has(name);
  }

  /**
   * A member's role from what was read with their membership: a built-in one by name, an account's own
   * from its stored permissions (null when the account has no role of that name: it then grants nothing).
   */
  roleOf(name: string, storedPermissions: unknown): Role | undefined {
    const builtIn = this.builtIns.get(name);
    if (builtIn) return builtIn;
    if (storedPermissions === null || storedPermissions === undefined) return undefined;
    return { name, description: '', builtIn: false, permissions: sortByFeature(this.features.grantable(readStoredPermissions(storedPermissions))) };
  }

  /** The role of that name in the account now, built-in or its own. */
  async find(db: RoleReader, accountId: string, name: string): Promise<Role | undefined> {
    const builtIn = this.builtIns.get(name);
    if (builtIn) return builtIn;
    const row = await db.accountRole.findUnique({ where: { accountId_name: { accountId, name } } });
    return row ? this.fromRow(row) : undefined;
  }

  /** The account's roles: the built-in ones first, then its own by name. */
  async listIn(db: RoleReader, accountId: string): Promise<Role[]> {
    const own = await db.accountRole.findMany({ where: { accountId }, orderBy: { name: 'asc' } });
    return [...this.builtIns.values(), ...own.map((row) => this.fromRow(row))];
  }

  fromRow(row: { name: string; description: string; permissions: unknown }): Role {
    return { ...this.roleOf(row.name, row.permissions)!, description: row.description };
  }

  /**
   * What a member may do: their role's permissions once their email is verified, and nothing before.
   * Whatever role an unverified user holds (a guest of their own account, or anything else), the
   * address is unproven, so every permission check and the token's scope treat them as holding none.
   */
  accessOf(role: Role | undefined, isEmailVerified: boolean): readonly Permission[] {
    return isEmailVerified && role ? role.permissions : [];
  }
}

/** Stored by createRole/updateRole after validation; read defensively all the same (a hand-edited row grants only what parses). */
function readStoredPermissions(stored: unknown): Permission[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry: unknown) => {
    const { feature, access } = (entry ?? {}) as Record<string, unknown>;
    return typeof feature === 'string' && typeof access === 'string' ? [{ feature, access }] : [];
  });
}

const sortByFeature = (permissions: Permission[]): Permission[] =>
  permissions.sort((a, b) => (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
