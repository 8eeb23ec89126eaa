import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { composeSupergraph } from './supergraph';
import type { Subgraph } from './supergraph';

/** What the gateway passes to every subgraph request: the caller's own credentials, nothing else. */
export interface GatewayContext {
  readonly authorization?: string;
}

/**
 * Forwards the caller's Authorization header to each subgraph, so Gatehouse (and any subgraph that
 * verifies Gatehouse tokens) judges the real caller; the gateway itself holds no identity.
 */
class AuthorizationForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}

/**
 * An Apollo Gateway over the given subgraphs, on a supergraph composed from their SDL at start.
 * Apollo Gateway does not implement @authenticated/@requiresScopes (Apollo Router does), so they are
 * left out of its supergraph and each subgraph enforces its own rules (supergraph.ts says why).
 */
export async function createGateway(subgraphs: readonly Subgraph[]): Promise<ApolloGateway> {
  const supergraphSdl = await composeSupergraph(subgraphs, { withoutAuthorizationDirectives: true });
  return new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) => new AuthorizationForwardingDataSource({ url }),
  });
}
