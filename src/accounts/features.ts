import { OPERATIONS } from '../identity/permission';
import type { Permission } from '../identity/permission';
import type { BuiltInRoleName } from './built-in-roles';

/** A feature roles can grant operations on: one of Gatehouse's own, or one the deploying team declared. */
export interface FeatureDefinition {
  /** What a permission and a scope name: `projects` in `projects:u`. */
  readonly name: string;
  readonly description: string;
  /** The operations it supports: a subset of "crud", in that order. */
  readonly operations: string;
  /** True for Gatehouse's own features, which its rules check. */
  readonly builtIn: boolean;
  /** What each built-in role holds on it (a subset of `operations`); a role not named holds nothing. */
  readonly builtInRoleAccess: Readonly<Partial<Record<BuiltInRoleName, string>>>;
}

/**
 * Gatehouse's own features, always there. What the built-in roles hold on them is seeded in the Role
 * tables by the migrations (owner everything, admin below owner, member reads members); it is repeated
 * here only so `features` can show it, and a test checks both agree.
 */
export const GATEHOUSE_FEATURES: readonly FeatureDefinition[] = [
  {
    name: 'account',
    description: 'The account itself: its name, its settings, deleting it.',
    operations: 'crud',
    builtIn: true,
    builtInRoleAccess: { owner: 'crud', admin: 'ru' },
  },
  { name: 'members', description: "The account's members and their roles.", operations: 'crud', builtIn: true, builtInRoleAccess: { owner: 'crud', admin: 'crud', member: 'r' } },
  { name: 'audit', description: "The account's security log.", operations: 'r', builtIn: true, builtInRoleAccess: { owner: 'r', admin: 'r' } },
  { name: 'invitations', description: 'Invitations to join the account.', operations: 'crud', builtIn: true, builtInRoleAccess: { owner: 'crud', admin: 'crud' } },
  { name: 'roles', description: "The account's own roles.", operations: 'crud', builtIn: true, builtInRoleAccess: { owner: 'crud', admin: 'crud' } },
  // No update: an endpoint's URL and secret are replaced by deleting it and registering another.
  { name: 'webhooks', description: "Webhook endpoints receiving the account's events.", operations: 'crd', builtIn: true, builtInRoleAccess: { owner: 'crd', admin: 'crd' } },
];

/** Operations in canonical order, without repeats: "dcr" becomes "crd". */
export const canonicalAccess = (access: string): string => [...OPERATIONS].filter((operation) => access.includes(operation)).join('');

/**
 * Every feature a permission may name: Gatehouse's own and the application's (the features file, read
 * once at start). A stored custom role may still name a feature the file no longer declares; such a
 * permission grants nothing (`grantable`), so taking a feature out of the file takes it out of every role.
 */
export class FeatureCatalog {
  private readonly byName: ReadonlyMap<string, FeatureDefinition>;

  constructor(applicationFeatures: readonly FeatureDefinition[] = []) {
    this.byName = new Map([...GATEHOUSE_FEATURES, ...applicationFeatures].map((feature) => [feature.name, feature]));
  }

  list(): readonly FeatureDefinition[] {
    return [...this.byName.values()];
  }

  find(name: string): FeatureDefinition | undefined {
    return this.byName.get(name);
  }

  /** What a built-in role holds on the application's features (its own features' rights are in the database). */
  applicationAccessOf(role: BuiltInRoleName): Permission[] {
    return this.list().flatMap((feature) => {
      const access = feature.builtIn ? undefined : feature.builtInRoleAccess[role];
      return access ? [{ feature: feature.name, access }] : [];
    });
  }

  /** The permissions as far as the features declared now allow: unknown features and unsupported operations dropped. */
  grantable(permissions: readonly Permission[]): Permission[] {
    return permissions.flatMap(({ feature, access }) => {
      const declared = this.byName.get(feature);
      const allowed = declared ? canonicalAccess([...access].filter((operation) => declared.operations.includes(operation)).join('')) : '';
      return allowed ? [{ feature, access: allowed }] : [];
    });
  }
}
