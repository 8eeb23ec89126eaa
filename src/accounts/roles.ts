import type { PrismaClient } from '../generated/prisma/client';
import type { Permission } from '../identity/permission';

export interface Role {
  readonly name: string;
  /** Orders roles: nobody may grant, change or remove a role ranked above their own. */
  readonly rank: number;
  readonly permissions: readonly Permission[];
}

export const BuiltInRole = { owner: 'owner', admin: 'admin', member: 'member', guest: 'guest' } as const;

/**
 * The roles and their permissions, loaded once at start. Roles live in the database (seeded by a
 * migration) so deployments can see them with SQL, but they change only with a migration, so
 * every permission check is an in-memory lookup.
 */
export class RoleCatalog {
  private readonly byName: ReadonlyMap<string, Role>;

  constructor(roles: readonly Role[]) {
    this.byName = new Map(roles.map((role) => [role.name, role]));
  }

  static async load(prisma: PrismaClient): Promise<RoleCatalog> {
    const rows = await prisma.role.findMany({ include: { permissions: true }, orderBy: { rank: 'desc' } });
    return new RoleCatalog(
      rows.map((row) => ({
        name: row.name,
        rank: row.rank,
        permissions: row.permissions
          .map(({ feature, access }) => ({ feature, access }))
          .sort((a, b) => a.feature.localeCompare(b.feature)),
      })),
    );
  }

  find(name: string): Role | undefined {
    return this.byName.get(name);
  }

  /** An unknown role grants nothing and ranks below every real one. */
  rankOf(name: string): number {
    return this.byName.get(name)?.rank ?? Number.NEGATIVE_INFINITY;
  }

  permissionsOf(name: string): readonly Permission[] {
    return this.byName.get(name)?.permissions ?? [];
  }

  /**
   * What a member may do: their role's permissions once their email is verified, and nothing before.
   * Whatever role an unverified user holds (a guest of their own account, or anything else), the
   * address is unproven, so every permission check and the token's scope treat them as holding none.
   */
  permissionsOfMember(roleName: string, isEmailVerified: boolean): readonly Permission[] {
    return isEmailVerified ? this.permissionsOf(roleName) : [];
  }
}
