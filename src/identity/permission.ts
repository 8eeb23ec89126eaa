/** c, r, u, d: what a role may do to one feature. */
export type Operation = 'c' | 'r' | 'u' | 'd';

/** Every operation, in the order an access string lists them. */
export const OPERATIONS = 'crud';

/**
 * Gatehouse's own features, which its rules check: a typo in a rule's feature fails to compile. (A
 * Permission's feature stays a string: roles hold the features of the apps behind Gatehouse too, declared
 * in the features file.)
 */
export type GatehouseFeature = 'account' | 'members' | 'audit' | 'invitations' | 'roles' | 'webhooks';

/**
 * Whether the permissions allow `operation` on `feature`: the one test every check of a right makes (the
 * rules, the acting member's check under the account's lock). Takes only Gatehouse's own features, so no
 * check can ask for a misspelt one.
 */
export const permits = (permissions: readonly Permission[], feature: GatehouseFeature, operation: Operation): boolean =>
  permissions.some((permission) => permission.feature === feature && permission.access.includes(operation));

/**
 * Whether `held` allows everything `wanted` does: nobody grants, or builds a role with, what they do not
 * hold themselves.
 */
export function includesAll(held: readonly Permission[], wanted: readonly Permission[]): boolean {
  return wanted.every(({ feature, access }) => {
    const holding = held.find((permission) => permission.feature === feature)?.access ?? '';
    return [...access].every((operation) => holding.includes(operation));
  });
}

export interface Permission {
  readonly feature: string;
  /** A subset of "crud", in that order. */
  readonly access: string;
}
