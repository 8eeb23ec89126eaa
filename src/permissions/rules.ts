import { rule } from 'graphql-shield';
import { BuiltInRole } from '../accounts/roles';
import { permits } from '../identity/permission';
import type { GatehouseFeature, Operation } from '../identity/permission';
import type { GraphQLContext } from '../graphql/context';
import { AppError, ErrorCode, ErrorReason, forbidden, unauthenticated } from '../errors';
import { withGuestAccess } from './guest-access';
import { markRequestWide, withItemGrant } from './rule-scope';
import { NO_REQUIREMENT, SIGNED_IN, requiresScope, requiring } from './token-requirement';

/**
 * One predicate per rule. A rule answers true, or the AppError the client should see; shield's own
 * fallback error would be an INTERNAL_SERVER_ERROR with a stack trace.
 *
 * Caching, chosen per rule by what its answer depends on:
 *  - contextual (`contextualRule`): the request alone (viewer, refused token). Decided once per request
 *    and viewer however many fields and list items use it, and a field it grants resolves with no
 *    per-item promise (request-decisions.ts).
 *  - strict: the arguments too. shield keys its cache by an object-hash of parent and arguments,
 *    affordable for root fields and mutations, which run once per request.
 *  - no_cache: the parent object, on fields of list items (User.id, User.email). Hashing each parent
 *    would cost more than the check itself; anything expensive inside is batched and cached per
 *    request by a DataLoader instead. Each also has an item grant (rule-scope.ts): the part of its
 *    check that needs no query, which lets an item through with no promise when it passes.
 *
 * Each rule also records what it needs the bearer token to carry (`requiring`): the subgraph SDL's
 * @authenticated/@requiresScopes derive from that (federation/authorization-directives.ts).
 */

const notSignedIn = (context: GraphQLContext) => context.tokenError ?? unauthenticated(ErrorReason.INVALID_TOKEN, 'Sign in first.');

/** A rule that reads only the request: cached per request by shield and marked request-wide, together. */
const contextualRule = (check: (context: GraphQLContext) => true | AppError) =>
  markRequestWide(rule({ cache: 'contextual' })((_parent, _args, context: GraphQLContext) => check(context)));

export const isAuthenticated = requiring(
  SIGNED_IN,
  contextualRule((context) => (context.viewer ? true : notSignedIn(context))),
);

const notVerified = () => forbidden(ErrorReason.EMAIL_NOT_VERIFIED, 'Verify your email address first (see resendVerification).');

/**
 * The viewer has verified their email. Until then they may log in, refresh, log out, read their own
 * user, memberships and current session, and verify or resend: every other field that needs a user
 * also needs this, and they hold no permission whatever their role (RoleCatalog.permissionsOfMember).
 * (A router sees only that a token was sent; verification is ours to check.)
 */
export const isVerified = withGuestAccess(
  'verified',
  requiring(
    SIGNED_IN,
    contextualRule((context) => {
      if (!context.viewer) return notSignedIn(context);
      return context.viewer.emailVerified ? true : notVerified();
    }),
  ),
);

/**
 * For fields that answer anonymous callers too (`me`, `currentSession` return null): no token is
 * fine, but a token that was sent and refused is reported, not silently ignored. Otherwise a client
 * with an expired token would see "logged out" instead of TOKEN_EXPIRED and never refresh.
 */
export const hasNoRefusedToken = requiring(
  NO_REQUIREMENT,
  contextualRule((context) => context.tokenError ?? true),
);

/**
 * The subgraph SDL is for the gateway composing the supergraph: with introspection off, only a request
 * carrying the gateway secret reads it (http/subgraph-schema-access.ts). A router never sees that
 * secret, so it has nothing to check: no token requirement. Not request-wide: those are all decided
 * for every request, and this one guards a single field few requests ask for.
 */
export const canReadSubgraphSchema = requiring(
  NO_REQUIREMENT,
  rule({ cache: 'contextual' })((_parent, _args, context: GraphQLContext) =>
    context.canReadSubgraphSchema() ? true : forbidden(ErrorReason.MISSING_PERMISSION, 'The subgraph schema is for the federation gateway only.'),
  ),
);

/**
 * The parent User is the viewer, or a user this request proved to be (see GraphQLContext.provenUserIds).
 * Needs no token: an email link proves the user without one.
 */
const isSelfItem = (parent: unknown, context: GraphQLContext): boolean => {
  const { id } = parent as { id: string };
  return context.viewer?.userId === id || context.provenUserIds.has(id);
};
export const isSelf = withGuestAccess(
  'own',
  requiring(
    NO_REQUIREMENT,
    // false, not an AppError: isSelf is always one alternative of an anyOf, which reports another
    // alternative's error (or shield's FORBIDDEN) when all fail, and building a GraphQLError (a stack
    // trace) for each of 1000 list items that another alternative then grants was a sixth of the CPU.
    withItemGrant(
      rule({ cache: 'no_cache' })((parent, _args, context: GraphQLContext) => isSelfItem(parent, context)),
      isSelfItem,
    ),
  ),
);

/** The parent Membership is the viewer's own: a guest may see where they belong and as what. */
const isOwnMembershipItem = (parent: unknown, context: GraphQLContext): boolean =>
  context.viewer !== null && context.viewer.userId === (parent as { userId: string }).userId;
export const isOwnMembership = withGuestAccess(
  'own',
  requiring(
    SIGNED_IN,
    // false, not an AppError, for the reason isSelf gives: it is one alternative of an anyOf.
    withItemGrant(
      rule({ cache: 'no_cache' })((parent, _args, context: GraphQLContext) => isOwnMembershipItem(parent, context)),
      isOwnMembershipItem,
    ),
  ),
);

/**
 * The viewer belongs to the parent Account: a guest may see the accounts they are in (the one their
 * session is in, and those their own memberships name), and no other. The item grant answers without a
 * query for the session's account and for memberships this request already read (their own list).
 */
const isMemberOfKnownAccount = (parent: unknown, context: GraphQLContext): boolean => {
  const { viewer } = context;
  if (!viewer) return false;
  const { id } = parent as { id: string };
  return id === viewer.accountId || Boolean(context.loaders.memberships.peek({ userId: viewer.userId, accountId: id }));
};
export const isMemberOfAccount = withGuestAccess(
  'own',
  requiring(
    SIGNED_IN,
    withItemGrant(
      // false, not an AppError, for the reason isSelf gives: it is one alternative of an anyOf.
      rule({ cache: 'no_cache' })(async (parent: { id: string }, _args, context: GraphQLContext) => {
        const { viewer } = context;
        if (!viewer) return false;
        if (isMemberOfKnownAccount(parent, context)) return true;
        return (await context.loaders.memberships.load({ userId: viewer.userId, accountId: parent.id })) !== null;
      }),
      isMemberOfKnownAccount,
    ),
  ),
);

/**
 * The parent User is a member of the viewer's current account and the viewer administers members
 * there (members:u). Scoped to the session's account: a session never acts in an account it was not
 * opened for, so an account's own sign-in policy always applies.
 */
export const isAdminOfSharedAccount = withGuestAccess(
  'verified',
  requiring(
    requiresScope('members', 'u'),
    withItemGrant(
      rule({ cache: 'no_cache' })(async (parent: { id: string }, _args, context: GraphQLContext) => {
        const { viewer } = context;
        if (!viewer || !hasAccess(context, 'members', 'u')) return forbidden(ErrorReason.MISSING_PERMISSION);
        if (isAdminOfKnownMember(parent, context)) return true;
        // Batched: a list of 1000 users asks once for all 1000 memberships, not 1000 times.
        const membership = await context.loaders.memberships.load({ userId: parent.id, accountId: viewer.accountId });
        return membership ? true : forbidden(ErrorReason.MISSING_PERMISSION);
      }),
      (parent, context) => isAdminOfKnownMember(parent, context),
    ),
  ),
);

/**
 * isAdminOfSharedAccount without a query: the viewer administers members and the parent is the viewer
 * (who belongs to their session's account: removing a member ends their sessions there), or a user this
 * request already read as a member of it (an account's member list). False means "ask the database".
 */
function isAdminOfKnownMember(parent: unknown, context: GraphQLContext): boolean {
  const { viewer } = context;
  if (!viewer || !hasAccess(context, 'members', 'u')) return false;
  const { id } = parent as { id: string };
  return id === viewer.userId || Boolean(context.loaders.memberships.peek({ userId: id, accountId: viewer.accountId }));
}

/**
 * feature:operation in the account `accountOf` names (the parent Account, an argument, the input), which
 * must be the session's account. Named per place and right: shield keys rules by name.
 */
const canInAccount =
  (place: string, accountOf: (parent: unknown, args: Record<string, unknown>) => unknown) => (feature: GatehouseFeature, operation: Operation) =>
    withGuestAccess(
      'verified',
      requiring(
        requiresScope(feature, operation),
        rule(`canIn${place}Account:${feature}:${operation}`, { cache: 'strict' })((parent, args: Record<string, unknown>, context: GraphQLContext) =>
          checkAccess(context, accountOf(parent, args), feature, operation),
        ),
      ),
    );

/** feature:operation in the parent Account. */
export const canInParentAccount = canInAccount('Parent', (parent) => (parent as { id: string }).id);

/** feature:operation in the account named by the accountId argument. */
export const canInArgumentAccount = canInAccount('Argument', (_parent, args) => args.accountId);

/** feature:operation in the account named by the input's accountId. */
export const canInInputAccount = canInAccount('Input', (_parent, args) => (args.input as { accountId?: unknown } | undefined)?.accountId);

/**
 * The viewer is an owner of the account named by the accountId argument, which must be the session's
 * account. For what only owners decide, which no per-feature permission expresses (admins hold account:u
 * too), so a router can check only that a token was sent.
 */
export const isOwnerOfArgumentAccount = withGuestAccess(
  'verified',
  requiring(
    SIGNED_IN,
    rule({ cache: 'strict' })((_parent, args: { accountId?: unknown }, context: GraphQLContext) => {
      const { viewer } = context;
      if (!viewer) return notSignedIn(context);
      if (!viewer.emailVerified) return notVerified();
      if (args.accountId !== viewer.accountId) return wrongAccount();
      return viewer.role === BuiltInRole.owner ? true : forbidden(ErrorReason.MISSING_PERMISSION, 'Only owners may do this.');
    }),
  ),
);

const wrongAccount = () =>
  new AppError(ErrorCode.FORBIDDEN, 'Switch to that account first (switchAccount).', { reason: ErrorReason.MISSING_PERMISSION, field: 'accountId' });

/** The viewer's current role (read with the session on this request) grants feature:operation in their session's account. */
function checkAccess(context: GraphQLContext, accountId: unknown, feature: GatehouseFeature, operation: Operation): true | AppError {
  const { viewer } = context;
  if (!viewer) return notSignedIn(context);
  if (!viewer.emailVerified) return notVerified();
  if (accountId !== viewer.accountId) return wrongAccount();
  return hasAccess(context, feature, operation) ? true : forbidden(ErrorReason.MISSING_PERMISSION, `Needs ${feature}:${operation}.`);
}

const hasAccess = (context: GraphQLContext, feature: GatehouseFeature, operation: Operation): boolean =>
  context.viewer !== null && permits(context.viewer.access, feature, operation);
