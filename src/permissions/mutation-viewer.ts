import type { IMiddlewareTypeMap } from 'graphql-middleware';
import { ErrorCode, isAppError } from '../errors';
import type { GraphQLContext } from '../graphql/context';
import { viewerOf } from '../sessions/session-viewer';
import type { ViewerServices } from '../sessions/session-viewer';

/** Requests in which a root mutation has run since the viewer was last read. */
const viewerMayBeStale = new WeakSet<GraphQLContext>();

/**
 * A document's root mutations run one after another, and each may change who the viewer is or what
 * they may do: `logout` then `switchAccount`, a demotion then `setMemberRole`, `revokeSession` of the
 * current session then anything. So every root mutation after the first acts as the viewer is *now*:
 * the session, its liveness and the member's role are read again, with the bearer check's statement,
 * before its rules are decided. A session that ended meanwhile leaves the request anonymous with the
 * reason (SESSION_REVOKED, NOT_A_MEMBER …), so rules answer as they would for a new request. A
 * document with one mutation, and every query, costs nothing more.
 */
export const readViewerBeforeEachMutation: IMiddlewareTypeMap = {
  Mutation: async (resolve, parent, args, context: GraphQLContext<ViewerServices>, info) => {
    if (viewerMayBeStale.has(context)) await rereadViewer(context);
    try {
      return await resolve(parent, args, context, info);
    } finally {
      viewerMayBeStale.add(context);
    }
  },
};

async function rereadViewer(context: GraphQLContext<ViewerServices>): Promise<void> {
  const { viewer } = context;
  if (!viewer) return;
  try {
    const live = await context.services.sessions.findLive(viewer);
    context.loaders.users.clear(viewer.userId).prime(viewer.userId, live.session.user);
    context.viewer = viewerOf(live, context.services.roles);
  } catch (error) {
    // An unreachable database is the request's failure (503), not a sign that the viewer is gone.
    if (!isAppError(error) || error.code === ErrorCode.SERVICE_UNAVAILABLE) throw error;
    context.viewer = null;
    context.tokenError = error;
  }
}
