import { allow } from 'graphql-shield';
import type { ShieldRule } from './token-requirement';

/**
 * Whom a rule lets through among signed-in users whose email is not verified yet (guests until they
 * verify; see isVerified in rules.ts):
 *  - 'verified': no unverified viewer;
 *  - 'own': an unverified viewer only on their own data (their user, their memberships, the account
 *    their session is in);
 *  - 'open': every viewer the rule admits at all, verified or not.
 * test/permissions/guest-surface.test.ts walks the schema with these and proves what a guest can reach.
 * A rule that declares nothing counts as 'open': forgetting to say is never a way in.
 */
export type GuestAccess = 'verified' | 'own' | 'open';

const RESTRICTIVENESS: Readonly<Record<GuestAccess, number>> = { open: 0, own: 1, verified: 2 };

const declared = new WeakMap<object, GuestAccess>([[allow, 'open']]);

export function withGuestAccess<Rule extends ShieldRule>(access: GuestAccess, rule: Rule): Rule {
  declared.set(rule, access);
  return rule;
}

export const guestAccessOf = (rule: ShieldRule): GuestAccess => declared.get(rule) ?? 'open';

/** Every part must pass: a guest gets through only where the strictest part lets them. */
export const guestAccessOfAll = (rules: readonly ShieldRule[]): GuestAccess =>
  rules.map(guestAccessOf).reduce((strictest, access) => (RESTRICTIVENESS[access] > RESTRICTIVENESS[strictest] ? access : strictest), 'open');

/** Any part may pass: a guest gets through wherever the most lenient part lets them. */
export const guestAccessOfAny = (rules: readonly ShieldRule[]): GuestAccess =>
  rules.map(guestAccessOf).reduce((loosest, access) => (RESTRICTIVENESS[access] < RESTRICTIVENESS[loosest] ? access : loosest), 'verified');
