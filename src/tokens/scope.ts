import type { Permission } from '../identity/permission';

const OPERATION_ORDER = 'crud';

/** One permission as a scope: `members:r`. What `@requiresScopes` in the subgraph SDL names, too. */
export const scopeName = (feature: string, operation: string): string => `${feature}:${operation}`;

/**
 * The RFC 9068 `scope` claim for a role's permissions: space-separated `feature:operation` strings
 * (`account:r members:c members:r`), the form federated routers match `@requiresScopes` against.
 * Sorted by feature (code units, not locale) then c, r, u, d, so the same permissions always give the
 * same string: a token re-issued in the refresh grace window must not differ. Null when there is
 * nothing to grant: RFC 6749 §3.3 has no empty scope, so the claim is left out.
 */
export function formatScope(permissions: readonly Permission[]): string | null {
  const features = [...permissions].sort((a, b) => (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
  const scopes = features.flatMap(({ feature, access }) =>
    [...OPERATION_ORDER].filter((operation) => access.includes(operation)).map((operation) => scopeName(feature, operation)),
  );
  return scopes.length > 0 ? scopes.join(' ') : null;
}
