import { Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { badUserInput } from '../errors';
import type { GraphQLContext } from '../graphql/context';
import type { SessionEventMessage } from '../identity/session-event';
import { SessionEvent } from './session-event.type';

@Resolver()
export class SessionEventsResolver {
  /**
   * No argument names a session: the stream is always the connection's own (the one its connection_init
   * token belongs to), so no one can listen to another user's session.
   */
  @Subscription(() => SessionEvent, {
    description:
      'Events of your own session, over WebSocket (graphql-transport-ws on /graphql, the access token in connection_init). The server closes the socket with 4401 when the session ends or the token expires, 4403 when your membership is gone.',
    subscribe: ({ context }: SubscribeResolverData<unknown, object, GraphQLContext>) => {
      if (!context.sessionEvents) throw badUserInput('sessionEvents', 'Subscriptions are served over WebSocket only (graphql-transport-ws on /graphql).');
      return context.sessionEvents.subscribe();
    },
  })
  sessionEvents(@Root() event: SessionEventMessage): SessionEventMessage {
    return event;
  }
}
