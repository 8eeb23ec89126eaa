import type { GatehouseFeature, Operation } from '../identity/permission';
import { scopeName } from '../tokens/scope';

/**
 * What the caller's bearer token must carry for a rule to pass: the part of a rule a federated
 * router can check before the request reaches us (`@authenticated`, `@requiresScopes`). Rules check
 * more (the account in the arguments, the parent object); the router's check is never stricter.
 */
export interface TokenRequirement {
  readonly signedIn: boolean;
  /** Alternatives, any one of which suffices; each lists scopes that must all be present. null: no scope needed. */
  readonly scopes: readonly (readonly string[])[] | null;
}

/**
 * What one rule declares it needs of the token (defineRule's `token`): nothing, a token of a live
 * session, or one whose scope grants a Gatehouse feature:operation. Typed, so a misspelt feature
 * fails to compile.
 */
export type TokenNeed = 'none' | 'signed-in' | { readonly feature: GatehouseFeature; readonly operation: Operation };

export const NO_REQUIREMENT: TokenRequirement = { signedIn: false, scopes: null };
const SIGNED_IN: TokenRequirement = { signedIn: true, scopes: null };

export function tokenRequirementFor(need: TokenNeed): TokenRequirement {
  if (need === 'none') return NO_REQUIREMENT;
  if (need === 'signed-in') return SIGNED_IN;
  return { signedIn: true, scopes: [[scopeName(need.feature, need.operation)]] };
}

/** Every rule must pass (graphql-shield's `and`): the token needs what any of them needs. */
export function tokenRequirementOfAll(parts: readonly TokenRequirement[]): TokenRequirement {
  const scopeSets = parts.flatMap((part) => (part.scopes ? [part.scopes] : []));
  // (a or b) and (c) → (a and c) or (b and c): the cross product of the alternatives.
  const scopes =
    scopeSets.length === 0
      ? null
      : scopeSets.reduce<(readonly string[])[]>(
          (product, alternatives) => product.flatMap((left) => alternatives.map((right) => [...new Set([...left, ...right])])),
          [[]],
        );
  return { signedIn: parts.some((part) => part.signedIn), scopes };
}

/** Any rule may pass (graphql-shield's `or`): the token needs only what every one of them needs. */
export function tokenRequirementOfAny(parts: readonly TokenRequirement[]): TokenRequirement {
  const scopes = parts.some((part) => part.scopes === null) ? null : parts.flatMap((part) => part.scopes ?? []);
  return { signedIn: parts.every((part) => part.signedIn), scopes };
}
