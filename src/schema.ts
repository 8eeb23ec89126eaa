import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema } from 'type-graphql';
import { AccountResolver } from './accounts/account.resolver';
import { MembershipResolver } from './accounts/membership.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { AuthResolver } from './auth/auth.resolver';
import { buildGatehouseSubgraph } from './federation/subgraph-schema';
import { PasswordResolver } from './passwords/password.resolver';
import { createPermissions } from './permissions/permissions';
import { SessionResolver } from './sessions/session.resolver';
import { TwoFactorResolver } from './two-factor/two-factor.resolver';
import { EmailVerificationResolver } from './users/email-verification.resolver';
import { UserResolver } from './users/user.resolver';

const resolvers = [
  AuthResolver,
  TwoFactorResolver,
  SessionResolver,
  UserResolver,
  EmailVerificationResolver,
  PasswordResolver,
  AccountResolver,
  MembershipResolver,
  AuditResolver,
] as const;

/** The type-graphql schema alone, before federation and permissions. */
export function buildTypeGraphqlSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // Inputs are validated by the services (zod), where the rules live next to the data they guard.
    validate: false,
    emitSchemaFile: false,
  });
}

/** The Federation 2 subgraph schema before permissions: what the committed SDL describes. */
export async function buildGatehouseSchema(): Promise<GraphQLSchema> {
  return buildGatehouseSubgraph(await buildTypeGraphqlSchema());
}

/** The executable schema: the built schema with graphql-shield's permission layer applied. */
export async function createSchema(): Promise<GraphQLSchema> {
  return applyMiddleware(await buildGatehouseSchema(), createPermissions());
}
