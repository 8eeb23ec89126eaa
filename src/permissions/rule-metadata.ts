import { allow, deny } from 'graphql-shield';
import type { and } from 'graphql-shield';
import type { GraphQLContext } from '../graphql/context';
import type { GuestAccess } from './guest-access';
import { NO_REQUIREMENT } from './token-requirement';
import type { TokenRequirement } from './token-requirement';

/** A graphql-shield rule or logic rule (the package exports the type only from a path its exports map hides). */
export type ShieldRule = Parameters<typeof and>[number];

/**
 * A per-item rule's answer when it needs no waiting: true means the rule passes for this parent, false
 * only that the rule itself must decide (it may still pass, after a query). defineRule runs the rule's
 * check only where its grant said false, so the grant can never let through what the rule would refuse.
 */
export type ItemGrant = (parent: unknown, context: GraphQLContext) => boolean;

/**
 * What the permission machinery knows of a rule besides its answer. Written once, by the constructor that
 * built the rule (defineRule, allOf, anyOf), and read by everything that derives from the rules: the
 * subgraph SDL's directives, the guest-surface test, the per-request fast paths (request-decisions.ts).
 */
export interface RuleMetadata {
  readonly token: TokenRequirement;
  readonly guestAccess: GuestAccess;
  /** Reads the request alone and is decided once per request and viewer, before any field (rule-scope.ts). */
  readonly isRequestWide: boolean;
  readonly itemGrant: ItemGrant | null;
  /** An anyOf's parts: one of them passing passes the rule. Empty for anything else. */
  readonly alternatives: readonly ShieldRule[];
}

const metadata = new WeakMap<object, RuleMetadata>([
  [allow, { token: NO_REQUIREMENT, guestAccess: 'open', isRequestWide: true, itemGrant: null, alternatives: [] }],
  // Never passes, so it needs nothing of a token and lets no guest through.
  [deny, { token: NO_REQUIREMENT, guestAccess: 'verified', isRequestWide: false, itemGrant: null, alternatives: [] }],
]);

export function attachMetadata<Rule extends ShieldRule>(rule: Rule, ruleMetadata: RuleMetadata): Rule {
  metadata.set(rule, ruleMetadata);
  return rule;
}

/** Throws for a rule built with shield's own constructors: every rule must say what it needs, or the SDL and the guest surface would guess. */
export function metadataOf(rule: ShieldRule): RuleMetadata {
  const found = metadata.get(rule);
  if (!found) throw new Error('A permission rule has no metadata: build it with defineRule() or allOf()/anyOf().');
  return found;
}

export const tokenRequirementOf = (rule: ShieldRule): TokenRequirement => metadataOf(rule).token;

export const guestAccessOf = (rule: ShieldRule): GuestAccess => metadataOf(rule).guestAccess;
