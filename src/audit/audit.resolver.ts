import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import type { AuthEventPage } from './audit-events.service';
import { AuthEventConnectionType } from './auth-event.types';

@Resolver()
export class AuditResolver {
  @Query(() => AuthEventConnectionType, { description: "The account's security log, newest first. Needs audit:r in that account." })
  authEvents(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<AuthEventPage> {
    return context.services.auditEvents.page({ accountId, first, after });
  }
}
