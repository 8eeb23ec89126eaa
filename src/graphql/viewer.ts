import { ErrorReason, unauthenticated } from '../errors';
import type { Permission } from '../identity/permission';
import type { Viewer } from '../identity/viewer';
import type { GraphQLContext } from './context';

/** The viewer of a field whose rule already demanded one; narrows the type and fails closed if a rule was missed. */
export function requireViewer(context: GraphQLContext): Viewer {
  if (context.viewer) return context.viewer;
  throw context.tokenError ?? unauthenticated(ErrorReason.INVALID_TOKEN);
}

/** What actAs reads of a session grant (sessions/session-grant.ts): the session a mutation just started. */
export interface StartedSession {
  readonly sessionId: string;
  readonly user: { readonly id: string; readonly emailVerifiedAt: Date | null };
  readonly account: { readonly id: string };
  readonly role: string;
  readonly access: readonly Permission[];
  readonly clientId: string | null;
}

/** From here on this request acts as the session the grant started: its payload is read with that session's rights. */
export function actAs<Grant extends StartedSession>(context: GraphQLContext, grant: Grant): Grant {
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
