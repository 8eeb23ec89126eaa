import { metadataOf } from './rule-metadata';
import type { ItemGrant, ShieldRule } from './rule-metadata';

/**
 * What a rule's answer depends on, for deciding it as rarely as possible (see request-decisions.ts).
 *
 * A request-wide rule reads the request alone (the viewer, a refused token), never the parent object
 * or the arguments: one answer holds for every field and list item of the request, as long as the
 * viewer is the same. defineRule makes exactly its `scope: 'request'` rules request-wide and caches
 * them with shield's `cache: 'contextual'`, so the two cannot disagree.
 */
export const isRequestWide = (rule: ShieldRule): boolean => metadataOf(rule).isRequestWide;

/**
 * The request-wide rules any one of which, passing, lets a field with this rule through: the rule
 * itself when it is request-wide, or its request-wide alternatives when it is an anyOf. Empty: every
 * item needs its own evaluation.
 */
export function requestWideGrants(rule: ShieldRule): readonly ShieldRule[] {
  if (isRequestWide(rule)) return [rule];
  return metadataOf(rule).alternatives.flatMap(requestWideGrants);
}

/** The synchronous checks any one of which, passing for an item, lets it through: the rule's own, or its anyOf alternatives'. */
export function itemGrantsOf(rule: ShieldRule): readonly ItemGrant[] {
  const { itemGrant, alternatives } = metadataOf(rule);
  if (itemGrant) return [itemGrant];
  return alternatives.flatMap(itemGrantsOf);
}
