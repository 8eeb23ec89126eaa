import { IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { composeSupergraph } from '../../examples/gateway/supergraph';
import { SERVICE_SDL } from '../support/documents';
import { signUp } from '../support/factories';
import type { GraphQLResponse } from '../support/graphql-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const GATEWAY_SECRET = 'Vb7-q2RkWm9xT4zLc8Nf1Hs6Jd3Gp0Ya5Ue';
const START_UP_NOTICE = 'GATEWAY_SECRET is not set';
/** Near misses graphql-js answers with the right name ("Did you mean …"): a field, an input field. */
const MISSPELT = ['{ mee { id } }', 'mutation { login(input: { emial: "a@example.com", password: "x" }) { __typename } }'];
const SUGGESTION = /Did you mean|"me"|"email"/;

const readSdl = (server: TestServer, headers: Record<string, string> = {}) => server.graphql(SERVICE_SDL, {}, { headers });

function expectRefused(response: GraphQLResponse<{ _service: { sdl: string } }>): void {
  expect(response.status).toBe(200);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toEqual([expect.objectContaining({ path: ['_service'], extensions: { code: 'FORBIDDEN', reason: 'MISSING_PERMISSION' } })]);
}

describe('the subgraph SDL in production without GATEWAY_SECRET', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production' });
  });
  afterAll(() => server.close());

  it('is refused to an anonymous caller: FORBIDDEN, no SDL', async () => {
    expectRefused(await readSdl(server));
  });

  it('is refused whatever secret is presented, since none is configured', async () => {
    expectRefused(await readSdl(server, { 'x-gateway-secret': GATEWAY_SECRET }));
    expectRefused(await readSdl(server, { 'x-gateway-secret': '' }));
  });

  it('is refused to a signed-in user: a user is not a gateway', async () => {
    const user = await signUp(server);
    expectRefused(await server.graphql(SERVICE_SDL, {}, { token: user.accessToken }));
  });

  it('is announced once at start-up, so an operator whose gateway is refused knows why', () => {
    expect(server.logs.filter((line) => line.includes(START_UP_NOTICE))).toHaveLength(1);
  });

  it('gives no other way to the schema: __schema and __type are refused, and no error suggests a name', async () => {
    for (const probe of ['{ __schema { types { name } } }', '{ __type(name: "User") { fields { name } } }']) {
      const response = await server.graphql(probe);
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(response)).not.toContain('email');
    }
    // A wrong name gets no "Did you mean" that would name the right one (graphql-armor, production only).
    for (const misspelt of MISSPELT) {
      const response = await server.graphql(misspelt);
      expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.errors?.[0]?.message).not.toMatch(SUGGESTION);
    }
  });
});

describe('the subgraph SDL in production with GATEWAY_SECRET', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production', GATEWAY_SECRET });
  });
  afterAll(() => server.close());

  it('is served to a request carrying the secret in X-Gateway-Secret', async () => {
    const response = await readSdl(server, { 'x-gateway-secret': GATEWAY_SECRET });
    expect(response.errors).toBeUndefined();
    expect(response.data!._service.sdl).toContain('@key(fields: "id")');
  });

  it.each([
    ['no header', {}],
    ['a wrong secret of the same length', { 'x-gateway-secret': GATEWAY_SECRET.replace(/.$/, 'x') }],
    ['a prefix of the secret', { 'x-gateway-secret': GATEWAY_SECRET.slice(0, 8) }],
    ['the secret with more after it', { 'x-gateway-secret': `${GATEWAY_SECRET}x` }],
    ['the secret in another header', { authorization: `Bearer ${GATEWAY_SECRET}` }],
  ])('is refused with %s', async (_case, headers: Record<string, string>) => {
    expectRefused(await readSdl(server, headers));
  });

  it('logs no start-up notice', () => {
    expect(server.logs.some((line) => line.includes(START_UP_NOTICE))).toBe(false);
  });

  it("lets the example gateway compose from it, sending the secret as that subgraph's header", async () => {
    const url = `${server.url}/graphql`;
    const supergraph = await composeSupergraph([{ name: 'gatehouse', url, introspectionHeaders: { 'x-gateway-secret': GATEWAY_SECRET } }], {
      withoutAuthorizationDirectives: true,
    });
    expect(supergraph).toContain('type User');

    await expect(composeSupergraph([{ name: 'gatehouse', url }])).rejects.toThrow(/FORBIDDEN/);
  });

  it("lets Apollo Gateway's IntrospectAndCompose compose from it, with the secret in introspectionHeaders", async () => {
    type IntrospectionHeaders = ConstructorParameters<typeof IntrospectAndCompose>[0]['introspectionHeaders'];
    const introspect = (introspectionHeaders?: IntrospectionHeaders) =>
      new IntrospectAndCompose({ subgraphs: [{ name: 'gatehouse', url: `${server.url}/graphql` }], introspectionHeaders }).initialize({
        update: () => undefined,
        healthCheck: async () => undefined,
        getDataSource: ({ url }) => new RemoteGraphQLDataSource({ url }),
      });

    // Per subgraph, as the README shows: no other subgraph is sent the secret.
    const { supergraphSdl, cleanup } = await introspect((service): Record<string, string> =>
      service.name === 'gatehouse' ? { 'x-gateway-secret': GATEWAY_SECRET } : {},
    );
    await cleanup();
    expect(supergraphSdl).toContain('type User');

    await expect(introspect()).rejects.toThrow(/Couldn't load service definitions for "gatehouse"/);
  });
});

describe('the subgraph SDL in development (introspection on)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'development' });
  });
  afterAll(() => server.close());

  it('is open to anyone, as introspection is', async () => {
    const response = await readSdl(server);
    expect(response.errors).toBeUndefined();
    expect(response.data!._service.sdl).toContain('@key(fields: "id")');
    expect(server.logs.some((line) => line.includes(START_UP_NOTICE))).toBe(false);
  });

  it('suggests names, as introspection would give them anyway', async () => {
    for (const misspelt of MISSPELT) expect((await server.graphql(misspelt)).errors?.[0]?.message).toMatch(SUGGESTION);
  });
});
