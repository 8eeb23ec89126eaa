import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ExpressContextFunctionArgument } from '@as-integrations/express5';
import { composeSupergraph } from './supergraph';
import type { Subgraph } from './supergraph';

/** What the gateway passes to every subgraph request: the caller's own credentials, nothing else. */
export interface GatewayContext {
  readonly authorization?: string;
}

/** The gateway's context: the caller's Authorization header, as it came. */
export const callerCredentials = async ({ req }: ExpressContextFunctionArgument): Promise<GatewayContext> => ({ authorization: req.get('authorization') });

/**
 * Forwards the caller's Authorization header to each subgraph, so Gatehouse (and any subgraph that
 * verifies Gatehouse tokens) judges the real caller; the gateway itself holds no identity.
 */
class AuthorizationForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}

/** Apollo Gateway's `buildService`: one forwarding data source per subgraph. */
export const forwardingCallerAuthorization = ({ url }: { readonly url?: string }): RemoteGraphQLDataSource<GatewayContext> =>
  new AuthorizationForwardingDataSource({ url });

/**
 * An Apollo Gateway over the given subgraphs, on a supergraph composed from their SDL at start.
 * Gatehouse publishes no authorization directives unless told to (FEDERATION_AUTHORIZATION_DIRECTIVES),
 * and Apollo Gateway could not enforce them (Apollo Router does): should a subgraph publish them anyway,
 * they are left out here and each subgraph enforces its own rules (supergraph.ts says why).
 */
export async function createGateway(subgraphs: readonly Subgraph[]): Promise<ApolloGateway> {
  const supergraphSdl = await composeSupergraph(subgraphs, { withoutAuthorizationDirectives: true });
  return new ApolloGateway({ supergraphSdl, buildService: forwardingCallerAuthorization });
}
