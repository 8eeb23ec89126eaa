/** c, r, u, d: what a role may do to one feature. */
export type Operation = 'c' | 'r' | 'u' | 'd';

/**
 * Gatehouse's own features, which its rules check: a typo in a rule's feature fails to compile. (A
 * Permission's feature stays a string: roles may hold features of the apps behind Gatehouse too.)
 */
export type GatehouseFeature = 'account' | 'members' | 'billing' | 'audit' | 'invitations';

/**
 * Whether the permissions allow `operation` on `feature`: the one test every check of a right makes (the
 * rules, the acting member's check under the account's lock). Takes only Gatehouse's own features, so no
 * check can ask for a misspelt one.
 */
export const permits = (permissions: readonly Permission[], feature: GatehouseFeature, operation: Operation): boolean =>
  permissions.some((permission) => permission.feature === feature && permission.access.includes(operation));

export interface Permission {
  readonly feature: string;
  /** A subset of "crud", in that order. */
  readonly access: string;
}
