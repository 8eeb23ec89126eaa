import { composeServices } from '@apollo/composition';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import type { ServiceEndpointDefinition, SupergraphManager } from '@apollo/gateway';
import { parse } from 'graphql';
import { callerCredentials, forwardingCallerAuthorization } from '../../examples/gateway/gateway';
import type { GatewayContext } from '../../examples/gateway/gateway';
import { serveGraphql } from '../../examples/shared/serve-graphql';
import type { ServedGraphql } from '../../examples/shared/serve-graphql';
import { printGatehouseSchema } from '../../src/commands/print-schema';
import { ME, SERVICE_SDL } from '../support/documents';
import { signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { loopbackGraphqlUrl, postGraphql } from '../support/graphql-client';
import type { TypedDocument } from '../support/graphql-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const GATEWAY_SECRET = 'Vb7-q2RkWm9xT4zLc8Nf1Hs6Jd3Gp0Ya5Ue';

/** The standard Apollo Gateway, nothing added: the recipe's data source forwards the caller's token to Gatehouse. */
async function serveApolloGateway(supergraph: string | SupergraphManager): Promise<ServedGraphql> {
  const gateway = new ApolloGateway({ supergraphSdl: supergraph, buildService: forwardingCallerAuthorization });
  return serveGraphql<GatewayContext>({ gateway }, callerCredentials, 0);
}

const queryThrough = <Data>(gateway: ServedGraphql, document: TypedDocument<Data>, token?: string) =>
  postGraphql(loopbackGraphqlUrl(gateway.port), document, { token });

const gatehouseSubgraph = (server: TestServer): ServiceEndpointDefinition[] => [{ name: 'gatehouse', url: `${server.url}/graphql` }];

describe('a default-configured Gatehouse behind the standard Apollo Gateway', () => {
  let server: TestServer;
  let user: SignedUpUser;
  const gateways: ServedGraphql[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    user = await signUp(server);
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await server.close();
  });

  it('publishes no authorization directive: nothing a gateway must refuse for want of enforcing it', async () => {
    const response = await server.graphql(SERVICE_SDL);
    const sdl = response.data!._service.sdl;

    expect(sdl).toContain('@key(fields: "id")');
    expect(sdl).not.toMatch(/@authenticated|@requiresScopes/);
    // The offline variant (`npm run schema:print -- <file> --without-authorization-directives`) is this very SDL.
    const supergraphOf = (text: string) => composeServices([{ name: 'gatehouse', url: 'http://gatehouse/graphql', typeDefs: parse(text) }]).supergraphSdl;
    expect(supergraphOf(await printGatehouseSchema({ authorizationDirectives: false }))).toBe(supergraphOf(sdl));
  });

  it("composes with IntrospectAndCompose and serves a query with the caller's token", async () => {
    const gateway = await serveApolloGateway(new IntrospectAndCompose({ subgraphs: gatehouseSubgraph(server) }));
    gateways.push(gateway);

    const signedIn = await queryThrough(gateway, ME, user.accessToken);
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data!.me).toEqual({ id: user.userId, email: user.email });
    // Gatehouse still enforces its own rules behind it.
    const anonymous = await queryThrough(gateway, `{ account(id: "${user.accountId}") { name } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('loads a supergraph composed by @apollo/composition from the served SDL, and serves a query', async () => {
    const sdl = (await server.graphql(SERVICE_SDL)).data!._service.sdl;
    const composed = composeServices([{ name: 'gatehouse', url: `${server.url}/graphql`, typeDefs: parse(sdl) }]);
    expect(composed.errors).toBeUndefined();

    const gateway = await serveApolloGateway(composed.supergraphSdl!);
    gateways.push(gateway);
    const signedIn = await queryThrough(gateway, ME, user.accessToken);
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data!.me).toEqual({ id: user.userId, email: user.email });
  });
});

describe('a production Gatehouse with GATEWAY_SECRET behind the standard Apollo Gateway', () => {
  let server: TestServer;
  let gateway: ServedGraphql;

  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production', GATEWAY_SECRET });
  });
  afterAll(async () => {
    await gateway?.stop();
    await server.close();
  });

  it('composes with IntrospectAndCompose, the secret in introspectionHeaders, and serves a query', async () => {
    const user = await signUp(server);
    const supergraph = new IntrospectAndCompose({
      subgraphs: gatehouseSubgraph(server),
      introspectionHeaders: (subgraph): Record<string, string> => (subgraph.name === 'gatehouse' ? { 'x-gateway-secret': GATEWAY_SECRET } : {}),
    });
    gateway = await serveApolloGateway(supergraph);

    const signedIn = await queryThrough(gateway, ME, user.accessToken);
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data!.me).toEqual({ id: user.userId, email: user.email });
  });
});
