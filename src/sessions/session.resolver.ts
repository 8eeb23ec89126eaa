import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ErrorReason, unauthenticated } from '../errors';
import type { GraphQLContext } from '../graphql/context';
import { clientIdField, idField, parseInput, tokenField } from '../graphql/input-validation';
import { requireViewer } from '../graphql/viewer';
import type { SessionInfo, MySessionsService } from './my-sessions.service';
import { SessionInfoType } from './session-info.type';
import { LogoutInput } from './session.inputs';
import type { SessionService } from './session.service';

/** The services these resolvers reach through the context. */
type SessionContext = GraphQLContext<{ readonly mySessions: MySessionsService; readonly sessions: SessionService }>;

@Resolver()
export class SessionResolver {
  @Query(() => SessionInfoType, { nullable: true, description: "The bearer's session; null when anonymous." })
  currentSession(@Ctx() context: SessionContext): Promise<SessionInfo | null> {
    const { viewer } = context;
    return viewer ? context.services.mySessions.describe(viewer) : Promise.resolve(null);
  }

  @Query(() => [SessionInfoType], { description: 'Your live sessions, on every client.' })
  mySessions(@Ctx() context: SessionContext): Promise<SessionInfo[]> {
    const viewer = requireViewer(context);
    return context.services.mySessions.listLive(viewer);
  }

  @Mutation(() => Boolean, { description: 'Ends one of your own sessions.' })
  revokeSession(@Arg('id', () => ID) id: string, @Ctx() context: SessionContext): Promise<boolean> {
    return context.services.mySessions.revokeOwn(requireViewer(context).userId, parseInput(idField, id, 'id'), context.request);
  }

  @Mutation(() => Boolean, {
    description: "Ends the bearer's session (or the refresh token's); allSessions: true ends every session of the user.",
  })
  logout(@Arg('input', () => LogoutInput, { nullable: true }) input: LogoutInput | null, @Ctx() context: SessionContext): Promise<boolean> {
    const refreshToken = input?.refreshToken == null ? null : parseInput(tokenField, input.refreshToken, 'refreshToken');
    const clientId = input?.clientId == null ? null : parseInput(clientIdField, input.clientId, 'clientId');
    // Without a live bearer, the refresh token is the proof of possession; with neither there is nothing to end.
    if (!context.viewer && refreshToken === null) throw context.tokenError ?? unauthenticated(ErrorReason.INVALID_TOKEN);
    return context.services.sessions.logout({
      bearer: context.viewer,
      refreshToken,
      clientId,
      allSessions: input?.allSessions === true,
      request: context.request,
    });
  }
}
