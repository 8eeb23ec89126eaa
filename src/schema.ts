import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import type { PubSub } from 'type-graphql';
import { AccountLifecycleResolver } from './account-lifecycle/account-lifecycle.resolver';
import { OwnershipTransferResolver } from './account-lifecycle/ownership-transfer.resolver';
import { AccountResolver } from './accounts/account.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { AuthResolver } from './auth/auth.resolver';
import { DEFAULT_SUBGRAPH_OPTIONS, buildGatehouseSubgraph } from './federation/subgraph-schema';
import type { SubgraphOptions } from './federation/subgraph-schema';
import { InvitationResolver } from './invitations/invitation.resolver';
import { MembershipResolver } from './members/membership.resolver';
import { PasswordResolver } from './passwords/password.resolver';
import type { OnDenied } from './permissions/denial-count';
import { readViewerBeforeEachMutation } from './permissions/mutation-viewer';
import { createPermissions } from './permissions/permissions';
import { RoleResolver } from './roles/role.resolver';
import { SessionEventsResolver } from './session-events/session-events.resolver';
import { SessionResolver } from './sessions/session.resolver';
import { TwoFactorResolver } from './two-factor/two-factor.resolver';
import { UserLifecycleResolver } from './user-lifecycle/user-lifecycle.resolver';
import { EmailVerificationResolver } from './users/email-verification.resolver';
import { MyDataExportResolver } from './users/my-data-export.resolver';
import { UserResolver } from './users/user.resolver';
import { WebhookResolver } from './webhooks/webhook.resolver';

const resolvers = [
  AuthResolver,
  TwoFactorResolver,
  SessionResolver,
  UserResolver,
  EmailVerificationResolver,
  PasswordResolver,
  AccountResolver,
  MembershipResolver,
  InvitationResolver,
  RoleResolver,
  AccountLifecycleResolver,
  OwnershipTransferResolver,
  AuditResolver,
  UserLifecycleResolver,
  MyDataExportResolver,
  WebhookResolver,
  SessionEventsResolver,
] as const;

const noTopics: PubSub = {
  publish: () => {
    throw new Error('Gatehouse publishes no subscription topics.');
  },
  subscribe: () => {
    throw new Error('Gatehouse publishes no subscription topics.');
  },
};

/** The type-graphql schema alone, before federation and permissions. */
export function buildTypeGraphqlSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // Inputs are validated by the services (zod), where the rules live next to the data they guard.
    validate: false,
    emitSchemaFile: false,
    // type-graphql would run the whole introspection query over the schema to find it invalid (about a
    // tenth of a second of every start); its printed SDL is validated anyway, by federation's buildSubgraph
    // in buildGatehouseSubgraph and by graphql-js when the subgraph is built from it.
    skipCheck: true,
    // type-graphql wants a pubSub once any subscription exists; `sessionEvents` brings its own subscribe
    // (the connection's stream), so no topic is ever published or subscribed through this one.
    pubSub: noTopics,
  });
}

/**
 * The Federation 2 subgraph schema before permissions: what the committed SDL describes (with the
 * authorization directives), or by default what a default-configured Gatehouse serves.
 */
export async function buildGatehouseSchema(options: SubgraphOptions = DEFAULT_SUBGRAPH_OPTIONS): Promise<GraphQLSchema> {
  return buildGatehouseSubgraph(await buildTypeGraphqlSchema(), options);
}

/**
 * The executable schema: the built schema with the auth layer applied. The viewer is brought up to
 * date before each mutation's rules run (the first middleware is the outermost), then graphql-shield decides.
 */
export async function createSchema(options: SubgraphOptions = DEFAULT_SUBGRAPH_OPTIONS, onDenied?: OnDenied): Promise<GraphQLSchema> {
  return applyMiddleware(await buildGatehouseSchema(options), readViewerBeforeEachMutation, createPermissions(onDenied));
}
