import { rule } from 'graphql-shield';
import { BuiltInRole } from '../accounts/roles';
import type { Operation } from '../accounts/roles';
import type { GraphQLContext } from '../context';
import { AppError, ErrorCode, ErrorReason, forbidden, unauthenticated } from '../errors';
import { NO_REQUIREMENT, SIGNED_IN, requiresScope, requiring } from './token-requirement';

/**
 * One predicate per rule. A rule answers true, or the AppError the client should see; shield's own
 * fallback error would be an INTERNAL_SERVER_ERROR with a stack trace.
 *
 * Caching: "contextual" rules depend only on the request (one evaluation per request, however many
 * fields use them); "strict" rules depend on the parent object or arguments too.
 *
 * Each rule also records what it needs the bearer token to carry (`requiring`): the subgraph SDL's
 * @authenticated/@requiresScopes derive from that (federation/authorization-directives.ts).
 */

const notSignedIn = (context: GraphQLContext) => context.tokenError ?? unauthenticated(ErrorReason.INVALID_TOKEN, 'Sign in first.');

export const isAuthenticated = requiring(
  SIGNED_IN,
  rule({ cache: 'contextual' })((_parent, _args, context: GraphQLContext) => (context.viewer ? true : notSignedIn(context))),
);

/**
 * The viewer has verified their email. Until then they may log in, refresh, log out, read `me`,
 * and verify or resend: every other field that needs a user also needs this. (A router sees only
 * that a token was sent; verification is ours to check.)
 */
export const isVerified = requiring(
  SIGNED_IN,
  rule({ cache: 'contextual' })((_parent, _args, context: GraphQLContext) => {
    if (!context.viewer) return notSignedIn(context);
    return context.viewer.emailVerified
      ? true
      : forbidden(ErrorReason.EMAIL_NOT_VERIFIED, 'Verify your email address first (see resendVerification).');
  }),
);

/**
 * For fields that answer anonymous callers too (`me`, `currentSession` return null): no token is
 * fine, but a token that was sent and refused is reported, not silently ignored. Otherwise a client
 * with an expired token would see "logged out" instead of TOKEN_EXPIRED and never refresh.
 */
export const hasNoRefusedToken = requiring(
  NO_REQUIREMENT,
  rule({ cache: 'contextual' })((_parent, _args, context: GraphQLContext) => context.tokenError ?? true),
);

/**
 * The parent User is the viewer, or a user this request proved to be (see GraphQLContext.provenUserIds).
 * Needs no token: an email link proves the user without one.
 */
export const isSelf = requiring(
  NO_REQUIREMENT,
  rule({ cache: 'strict' })((parent: { id: string }, _args, context: GraphQLContext) =>
    context.viewer?.userId === parent.id || context.provenUserIds.has(parent.id)
      ? true
      : forbidden(ErrorReason.MISSING_PERMISSION, 'Only visible to the user themself.'),
  ),
);

/**
 * The parent User is a member of the viewer's current account and the viewer administers members
 * there (members:u). Scoped to the session's account: a session never acts in an account it was not
 * opened for, so an account's own sign-in policy always applies.
 */
export const isAdminOfSharedAccount = requiring(
  requiresScope('members', 'u'),
  rule({ cache: 'strict' })(async (parent: { id: string }, _args, context: GraphQLContext) => {
    const { viewer } = context;
    if (!viewer || !hasAccess(context, 'members', 'u')) return forbidden(ErrorReason.MISSING_PERMISSION);
    const membership = await context.services.memberships.findMembership(parent.id, viewer.accountId);
    return membership ? true : forbidden(ErrorReason.MISSING_PERMISSION);
  }),
);

/** feature:operation in the parent Account, which must be the session's account. */
export const canInParentAccount = (feature: string, operation: Operation) =>
  requiring(
    requiresScope(feature, operation),
    rule(`canInParentAccount:${feature}:${operation}`, { cache: 'strict' })((parent: { id: string }, _args, context: GraphQLContext) =>
      checkAccess(context, parent.id, feature, operation),
    ),
  );

/** feature:operation in the account named by the accountId argument, which must be the session's account. */
export const canInArgumentAccount = (feature: string, operation: Operation) =>
  requiring(
    requiresScope(feature, operation),
    rule(`canInArgumentAccount:${feature}:${operation}`, { cache: 'strict' })((_parent, args: { accountId?: unknown }, context: GraphQLContext) =>
      checkAccess(context, args.accountId, feature, operation),
    ),
  );

/** feature:operation in the account named by the input's accountId, which must be the session's account. */
export const canInInputAccount = (feature: string, operation: Operation) =>
  requiring(
    requiresScope(feature, operation),
    rule(`canInInputAccount:${feature}:${operation}`, { cache: 'strict' })(
      (_parent, args: { input?: { accountId?: unknown } }, context: GraphQLContext) => checkAccess(context, args.input?.accountId, feature, operation),
    ),
  );

/**
 * The viewer is an owner of the account named by the accountId argument, which must be the session's
 * account. For what only owners decide, which no per-feature permission expresses (admins hold account:u
 * too), so a router can check only that a token was sent.
 */
export const isOwnerOfArgumentAccount = requiring(
  SIGNED_IN,
  rule({ cache: 'strict' })((_parent, args: { accountId?: unknown }, context: GraphQLContext) => {
    const { viewer } = context;
    if (!viewer) return notSignedIn(context);
    if (args.accountId !== viewer.accountId) {
      return new AppError(ErrorCode.FORBIDDEN, 'Switch to that account first (switchAccount).', {
        reason: ErrorReason.MISSING_PERMISSION,
        field: 'accountId',
      });
    }
    return viewer.role === BuiltInRole.owner ? true : forbidden(ErrorReason.MISSING_PERMISSION, 'Only owners may do this.');
  }),
);

function checkAccess(context: GraphQLContext, accountId: unknown, feature: string, operation: Operation): true | AppError {
  const { viewer } = context;
  if (!viewer) return notSignedIn(context);
  if (accountId !== viewer.accountId) {
    return new AppError(ErrorCode.FORBIDDEN, 'Switch to that account first (switchAccount).', {
      reason: ErrorReason.MISSING_PERMISSION,
      field: 'accountId',
    });
  }
  return hasAccess(context, feature, operation) ? true : forbidden(ErrorReason.MISSING_PERMISSION, `Needs ${feature}:${operation}.`);
}

const hasAccess = (context: GraphQLContext, feature: string, operation: Operation): boolean =>
  context.viewer?.access.some((permission) => permission.feature === feature && permission.access.includes(operation)) ?? false;
