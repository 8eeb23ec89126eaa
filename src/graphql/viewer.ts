import type { GraphQLContext, Viewer } from './context';
import type { SessionGrant } from '../sessions/session-grant';
import { ErrorReason, unauthenticated } from '../errors';

/** The viewer of a field whose rule already demanded one; narrows the type and fails closed if a rule was missed. */
export function requireViewer(context: GraphQLContext): Viewer {
  if (context.viewer) return context.viewer;
  throw context.tokenError ?? unauthenticated(ErrorReason.INVALID_TOKEN);
}

/** From here on this request acts as the session the grant started: its payload is read with that session's rights. */
export function actAs<Grant extends SessionGrant>(context: GraphQLContext, grant: Grant): Grant {
  context.viewer = {
    userId: grant.user.id,
    sessionId: grant.sessionId,
    accountId: grant.account.id,
    role: grant.role,
    access: grant.access,
    clientId: grant.clientId,
    emailVerified: grant.user.emailVerifiedAt !== null,
  };
  return grant;
}
