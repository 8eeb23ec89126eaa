/**
 * Whom a rule lets through among signed-in users whose email is not verified yet (guests until they
 * verify; see isVerified in rules.ts):
 *  - 'verified': no unverified viewer;
 *  - 'own': an unverified viewer only on their own data (their user, their memberships, the account
 *    their session is in);
 *  - 'open': every viewer the rule admits at all, verified or not.
 * Every rule declares one (defineRule's `guestAccess`), and allOf/anyOf derive theirs from their parts.
 * test/permissions/guest-surface.test.ts walks the schema with these and proves what a guest can reach.
 */
export type GuestAccess = 'verified' | 'own' | 'open';

const RESTRICTIVENESS: Readonly<Record<GuestAccess, number>> = { open: 0, own: 1, verified: 2 };

/** Every part must pass: a guest gets through only where the strictest part lets them. */
export const guestAccessOfAll = (parts: readonly GuestAccess[]): GuestAccess =>
  parts.reduce((strictest, access) => (RESTRICTIVENESS[access] > RESTRICTIVENESS[strictest] ? access : strictest), 'open');

/** Any part may pass: a guest gets through wherever the most lenient part lets them. */
export const guestAccessOfAny = (parts: readonly GuestAccess[]): GuestAccess =>
  parts.reduce((loosest, access) => (RESTRICTIVENESS[access] < RESTRICTIVENESS[loosest] ? access : loosest), 'verified');
