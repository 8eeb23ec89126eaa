import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import type { AuthEventPage, AuditEventsService } from './audit-events.service';
import { AuthEventConnectionType } from './auth-event.types';

/** The services these resolvers reach through the context. */
type AuditContext = GraphQLContext<{ readonly auditEvents: AuditEventsService }>;

@Resolver()
export class AuditResolver {
  @Query(() => AuthEventConnectionType, { description: "The account's security log, newest first. Needs audit:r in that account." })
  authEvents(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: AuditContext,
  ): Promise<AuthEventPage> {
    return context.services.auditEvents.page({ accountId, first, after });
  }
}
