import { BuiltInRole } from '../accounts/roles';
import { AppError, ErrorCode, ErrorReason, forbidden, unauthenticated } from '../errors';
import type { GraphQLContext } from '../graphql/context';
import { permits } from '../identity/permission';
import type { GatehouseFeature, Operation } from '../identity/permission';
import { defineRule } from './define-rule';

/**
 * One predicate per rule, each built by defineRule (define-rule.ts), which states beside the check what
 * the rule needs of the token, whom among guests it admits, and what its answer depends on:
 *  - scope 'request': the request alone (viewer, refused token). Decided once per request and viewer
 *    however many fields and list items use it, and a field it grants resolves with no per-item promise.
 *  - scope 'arguments': the arguments too, for root fields and mutations, which run once per request.
 *  - scope 'item': the parent object, on fields of list items (User.id, User.email), with an item grant:
 *    the part of its check that needs no query, which lets an item through with no promise when it passes.
 * The subgraph SDL's @authenticated/@requiresScopes derive from each rule's `token`
 * (federation/authorization-directives.ts).
 */

const notSignedIn = (context: GraphQLContext) => context.tokenError ?? unauthenticated(ErrorReason.INVALID_TOKEN, 'Sign in first.');

export const isAuthenticated = defineRule({
  name: 'isAuthenticated',
  token: 'signed-in',
  guestAccess: 'open',
  scope: 'request',
  check: (context) => (context.viewer ? true : notSignedIn(context)),
});

const notVerified = () => forbidden(ErrorReason.EMAIL_NOT_VERIFIED, 'Verify your email address first (see resendVerification).');

/**
 * The viewer has verified their email. Until then they may log in, refresh, log out, read their own
 * user, memberships and current session, and verify or resend: every other field that needs a user
 * also needs this, and they hold no permission whatever their role (RoleCatalog.accessOf).
 * (A router sees only that a token was sent; verification is ours to check.)
 */
export const isVerified = defineRule({
  name: 'isVerified',
  token: 'signed-in',
  guestAccess: 'verified',
  scope: 'request',
  check: (context) => {
    if (!context.viewer) return notSignedIn(context);
    return context.viewer.emailVerified ? true : notVerified();
  },
});

/**
 * For fields that answer anonymous callers too (`me`, `currentSession` return null): no token is
 * fine, but a token that was sent and refused is reported, not silently ignored. Otherwise a client
 * with an expired token would see "logged out" instead of TOKEN_EXPIRED and never refresh.
 */
export const hasNoRefusedToken = defineRule({
  name: 'hasNoRefusedToken',
  token: 'none',
  guestAccess: 'open',
  scope: 'request',
  check: (context) => context.tokenError ?? true,
});

/**
 * The subgraph SDL is for the gateway composing the supergraph: with introspection off, only a request
 * carrying the gateway secret reads it (http/subgraph-schema-access.ts). A router never sees that
 * secret, so it has nothing to check: no token requirement.
 */
export const canReadSubgraphSchema = defineRule({
  name: 'canReadSubgraphSchema',
  token: 'none',
  guestAccess: 'open',
  scope: 'request',
  // Request-wide rules are decided for every request, and this one guards a single field few requests ask for.
  decideUpFront: false,
  check: (context) =>
    context.canReadSubgraphSchema() ? true : forbidden(ErrorReason.MISSING_PERMISSION, 'The subgraph schema is for the federation gateway only.'),
});

/**
 * The parent User is the viewer, or a user this request proved to be (see GraphQLContext.provenUserIds).
 * Needs no token: an email link proves the user without one. The grant is the whole check; its false
 * (not an AppError) is fine as isSelf is always one alternative of an anyOf (see define-rule.ts).
 */
export const isSelf = defineRule({
  name: 'isSelf',
  token: 'none',
  guestAccess: 'own',
  scope: 'item',
  grant: (user: { id: string }, context) => context.viewer?.userId === user.id || context.provenUserIds.has(user.id),
});

/** The parent Membership is the viewer's own: a guest may see where they belong and as what. One alternative of an anyOf, as isSelf. */
export const isOwnMembership = defineRule({
  name: 'isOwnMembership',
  token: 'signed-in',
  guestAccess: 'own',
  scope: 'item',
  grant: (membership: { userId: string }, context) => context.viewer !== null && context.viewer.userId === membership.userId,
});

/**
 * The viewer belongs to the parent Account: a guest may see the accounts they are in (the one their
 * session is in, and those their own memberships name), and no other. The grant answers without a query
 * for the session's account and for memberships this request already read (their own list). One
 * alternative of an anyOf, as isSelf.
 */
export const isMemberOfAccount = defineRule({
  name: 'isMemberOfAccount',
  token: 'signed-in',
  guestAccess: 'own',
  scope: 'item',
  grant: (account: { id: string }, context) => {
    const { viewer } = context;
    if (!viewer) return false;
    return account.id === viewer.accountId || Boolean(context.loaders.memberships.peek({ userId: viewer.userId, accountId: account.id }));
  },
  check: async (account, context) => {
    const { viewer } = context;
    if (!viewer) return false;
    return (await context.loaders.memberships.load({ userId: viewer.userId, accountId: account.id })) !== null;
  },
});

/**
 * The parent User is a member of the viewer's current account and the viewer administers members
 * there (members:u). Scoped to the session's account: a session never acts in an account it was not
 * opened for, so an account's own sign-in policy always applies.
 */
export const isAdminOfSharedAccount = defineRule({
  name: 'isAdminOfSharedAccount',
  token: { feature: 'members', operation: 'u' },
  guestAccess: 'verified',
  scope: 'item',
  // Without a query: the parent is the viewer (who belongs to their session's account: removing a member
  // ends their sessions there), or a user this request already read as a member of it (a member list).
  grant: (user: { id: string }, context) => {
    const { viewer } = context;
    if (!viewer || !permits(viewer.access, 'members', 'u')) return false;
    return user.id === viewer.userId || Boolean(context.loaders.memberships.peek({ userId: user.id, accountId: viewer.accountId }));
  },
  check: async (user, context) => {
    const { viewer } = context;
    if (!viewer || !permits(viewer.access, 'members', 'u')) return forbidden(ErrorReason.MISSING_PERMISSION);
    // Batched: a list of 1000 users asks once for all 1000 memberships, not 1000 times.
    const membership = await context.loaders.memberships.load({ userId: user.id, accountId: viewer.accountId });
    return membership ? true : forbidden(ErrorReason.MISSING_PERMISSION);
  },
});

/**
 * feature:operation in the account `accountOf` names (the parent Account, an argument, the input), which
 * must be the session's account. Named per place and right: shield keys rules by name.
 */
const canInAccount =
  (place: string, accountOf: (parent: unknown, args: Record<string, unknown>) => unknown) => (feature: GatehouseFeature, operation: Operation) =>
    defineRule({
      name: `canIn${place}Account:${feature}:${operation}`,
      token: { feature, operation },
      guestAccess: 'verified',
      scope: 'arguments',
      check: (parent, args, context) => checkAccess(context, accountOf(parent, args), feature, operation),
    });

/** feature:operation in the parent Account. */
export const canInParentAccount = canInAccount('Parent', (parent) => (parent as { id: string }).id);

/** feature:operation in the account named by the accountId argument. */
export const canInArgumentAccount = canInAccount('Argument', (_parent, args) => args.accountId);

/** feature:operation in the account named by the input's accountId. */
export const canInInputAccount = canInAccount('Input', (_parent, args) => (args.input as { accountId?: unknown } | undefined)?.accountId);

/**
 * feature:operation in the session's account, for a mutation that names a row by id alone
 * (revokeInvitation): the service finds the row only within the session's account, under its lock.
 */
export const canInSessionAccount = (feature: GatehouseFeature, operation: Operation) =>
  defineRule({
    name: `canInSessionAccount:${feature}:${operation}`,
    token: { feature, operation },
    guestAccess: 'verified',
    scope: 'request',
    // Guards a couple of rarely called mutations: decided only when one is asked for.
    decideUpFront: false,
    check: (context) => checkAccess(context, context.viewer?.accountId, feature, operation),
  });

/**
 * The viewer is an owner of the account named by the accountId argument, which must be the session's
 * account. For what only owners decide, which no per-feature permission expresses (admins hold account:u
 * too), so a router can check only that a token was sent.
 */
export const isOwnerOfArgumentAccount = defineRule({
  name: 'isOwnerOfArgumentAccount',
  token: 'signed-in',
  guestAccess: 'verified',
  scope: 'arguments',
  check: (_parent, args: { accountId?: unknown }, context) => {
    const { viewer } = context;
    if (!viewer) return notSignedIn(context);
    if (!viewer.emailVerified) return notVerified();
    if (args.accountId !== viewer.accountId) return wrongAccount();
    return viewer.role === BuiltInRole.owner ? true : forbidden(ErrorReason.MISSING_PERMISSION, 'Only owners may do this.');
  },
});

const wrongAccount = () =>
  new AppError(ErrorCode.FORBIDDEN, 'Switch to that account first (switchAccount).', { reason: ErrorReason.MISSING_PERMISSION, field: 'accountId' });

/** The viewer's current role (read with the session on this request) grants feature:operation in their session's account. */
function checkAccess(context: GraphQLContext, accountId: unknown, feature: GatehouseFeature, operation: Operation): true | AppError {
  const { viewer } = context;
  if (!viewer) return notSignedIn(context);
  if (!viewer.emailVerified) return notVerified();
  if (accountId !== viewer.accountId) return wrongAccount();
  return permits(viewer.access, feature, operation) ? true : forbidden(ErrorReason.MISSING_PERMISSION, `Needs ${feature}:${operation}.`);
}

/**
 * The viewer is an owner of the account named by the input's accountId, which must be the session's
 * account (transferOwnership): as isOwnerOfArgumentAccount, for a mutation that takes an input.
 */
export const isOwnerOfInputAccount = defineRule({
  name: 'isOwnerOfInputAccount',
  token: 'signed-in',
  guestAccess: 'verified',
  scope: 'arguments',
  check: (_parent, args: { input?: { accountId?: unknown } }, context) => {
    const { viewer } = context;
    if (!viewer) return notSignedIn(context);
    if (!viewer.emailVerified) return notVerified();
    if (args.input?.accountId !== viewer.accountId) return wrongAccount();
    return viewer.role === BuiltInRole.owner ? true : forbidden(ErrorReason.MISSING_PERMISSION, 'Only owners may do this.');
  },
});

/**
 * createAccount: a verified viewer, or a selection token in the input instead of a bearer token (a user
 * whose last account is gone has no session to sign in with). The token is the proof there: the service
 * spends it and refuses an unverified user, so no guest gets through either way.
 */
export const isVerifiedOrPresentsSelectionToken = defineRule({
  name: 'isVerifiedOrPresentsSelectionToken',
  token: 'none',
  guestAccess: 'verified',
  scope: 'arguments',
  check: (_parent, args: { input?: { selectionToken?: unknown } }, context) => {
    if (typeof args.input?.selectionToken === 'string') return true;
    if (!context.viewer) return notSignedIn(context);
    return context.viewer.emailVerified ? true : notVerified();
  },
});
