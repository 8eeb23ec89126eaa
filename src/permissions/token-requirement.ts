import { allow, and, or } from 'graphql-shield';
import { scopeName } from '../tokens/scope';
import { guestAccessOfAll, guestAccessOfAny, withGuestAccess } from './guest-access';
import { isRequestWide, markRequestWide, recordAlternatives } from './rule-scope';

/** A graphql-shield rule or logic rule (the package exports the type only from a path its exports map hides). */
export type ShieldRule = Parameters<typeof and>[number];

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

export const NO_REQUIREMENT: TokenRequirement = { signedIn: false, scopes: null };
export const SIGNED_IN: TokenRequirement = { signedIn: true, scopes: null };

export const requiresScope = (feature: string, operation: string): TokenRequirement => ({
  signedIn: true,
  scopes: [[scopeName(feature, operation)]],
});

const requirements = new WeakMap<object, TokenRequirement>();
requirements.set(allow, NO_REQUIREMENT);

/** Records what a rule demands of the token, so the subgraph's directives derive from the rules themselves. */
export function requiring<Rule extends ShieldRule>(requirement: TokenRequirement, rule: Rule): Rule {
  requirements.set(rule, requirement);
  return rule;
}

/** Throws for a rule built without `requiring`: every rule must say what it needs, or the SDL would guess. */
export function tokenRequirementOf(rule: ShieldRule): TokenRequirement {
  const requirement = requirements.get(rule);
  if (!requirement) throw new Error('A permission rule has no token requirement: build it with requiring() or allOf()/anyOf().');
  return requirement;
}

/** Every rule must pass (graphql-shield's `and`): the token needs what any of them needs. */
export function allOf(...rules: ShieldRule[]): ShieldRule {
  const parts = rules.map(tokenRequirementOf);
  const scopeSets = parts.flatMap((part) => (part.scopes ? [part.scopes] : []));
  // (a or b) and (c) → (a and c) or (b and c): the cross product of the alternatives.
  const scopes =
    scopeSets.length === 0
      ? null
      : scopeSets.reduce<(readonly string[])[]>(
          (product, alternatives) => product.flatMap((left) => alternatives.map((right) => [...new Set([...left, ...right])])),
          [[]],
        );
  const combined = withGuestAccess(guestAccessOfAll(rules), requiring({ signedIn: parts.some((part) => part.signedIn), scopes }, and(...rules)));
  return rules.every(isRequestWide) ? markRequestWide(combined) : combined;
}

/** Any rule may pass (graphql-shield's `or`): the token needs only what every one of them needs. */
export function anyOf(...rules: ShieldRule[]): ShieldRule {
  const parts = rules.map(tokenRequirementOf);
  const scopes = parts.some((part) => part.scopes === null) ? null : parts.flatMap((part) => part.scopes ?? []);
  const combined = withGuestAccess(guestAccessOfAny(rules), requiring({ signedIn: parts.every((part) => part.signedIn), scopes }, or(...rules)));
  recordAlternatives(combined, rules);
  return combined;
}
