import { allow } from 'graphql-shield';
import type { GraphQLContext } from '../graphql/context';
import type { ShieldRule } from './token-requirement';

/**
 * What a rule's answer depends on, for deciding it as rarely as possible (see request-decisions.ts).
 *
 * A request-wide rule reads the request alone (the viewer, a refused token), never the parent object
 * or the arguments: one answer holds for every field and list item of the request, as long as the
 * viewer is the same. These are exactly graphql-shield's `cache: 'contextual'` rules; `contextualRule`
 * in rules.ts sets both, so the two cannot disagree.
 */
const requestWideRules = new WeakSet<object>([allow]);

/** anyOf's alternatives: one request-wide alternative that passes grants the field with no per-item work. */
const alternatives = new WeakMap<object, readonly ShieldRule[]>();

export function markRequestWide<Rule extends ShieldRule>(rule: Rule): Rule {
  requestWideRules.add(rule);
  return rule;
}

export const isRequestWide = (rule: ShieldRule): boolean => requestWideRules.has(rule);

export function recordAlternatives(rule: ShieldRule, parts: readonly ShieldRule[]): void {
  alternatives.set(rule, parts);
}

/**
 * The request-wide rules any one of which, passing, lets a field with this rule through: the rule
 * itself when it is request-wide, or its request-wide alternatives when it is an anyOf. Empty: every
 * item needs its own evaluation.
 */
export function requestWideGrants(rule: ShieldRule): readonly ShieldRule[] {
  if (isRequestWide(rule)) return [rule];
  return (alternatives.get(rule) ?? []).flatMap(requestWideGrants);
}

/**
 * A per-item rule's answer when it needs no waiting: true means the rule passes for this parent, false
 * only that the rule itself must decide (it may still pass, after a query). It must never say true where
 * the rule would refuse: rules.ts builds each rule on its own grant, so the two cannot disagree.
 */
export type ItemGrant = (parent: unknown, context: GraphQLContext) => boolean;

const itemGrants = new WeakMap<object, ItemGrant>();

export function withItemGrant<Rule extends ShieldRule>(rule: Rule, grant: ItemGrant): Rule {
  itemGrants.set(rule, grant);
  return rule;
}

/** The synchronous checks any one of which, passing for an item, lets it through: the rule's own, or its anyOf alternatives'. */
export function itemGrantsOf(rule: ShieldRule): readonly ItemGrant[] {
  const own = itemGrants.get(rule);
  if (own) return [own];
  return (alternatives.get(rule) ?? []).flatMap(itemGrantsOf);
}
