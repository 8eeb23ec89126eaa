import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { MAX_REPRESENTATIONS } from '../../src/federation/subgraph-schema';
import { SERVICE_SDL } from '../support/documents';
import { signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const USERS = typedDocument<{ _entities: ({ id: string; username: string | null } | null)[] }>(`query Users($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id username } }
}`);
const USER_EMAILS = typedDocument<{ _entities: ({ email: string | null } | null)[] }>(`query Emails($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { email } }
}`);
const ACCOUNTS = typedDocument<{ _entities: ({ id: string; name: string } | null)[] }>(`query Accounts($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Account { id name } }
}`);

const user = (id: string) => ({ __typename: 'User', id });
const account = (id: string) => ({ __typename: 'Account', id });
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('entity references (what a gateway asks Gatehouse for)', () => {
  let server: TestServer;
  let ada: SignedUpUser;
  let grace: SignedUpUser;

  beforeAll(async () => {
    // schema.graphql is the contract with the authorization directives: what Gatehouse serves with them switched on.
    server = await startTestServer({ FEDERATION_AUTHORIZATION_DIRECTIVES: 'true' });
    ada = await signUp(server, { username: 'ada', accountName: 'Analytical Engines' });
    grace = await signUp(server, { username: 'grace', accountName: 'Compilers Inc' });
  });
  afterAll(() => server.close());

  it('publishes at _service the subgraph that schema.graphql describes (both compose to the same supergraph)', async () => {
    const response = await server.graphql(SERVICE_SDL);
    const supergraphOf = (sdl: string) => composeServices([{ name: 'gatehouse', url: 'http://gatehouse/graphql', typeDefs: parse(sdl) }]).supergraphSdl;

    const committed = supergraphOf(readFileSync(path.join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));
    expect(committed).toContain('type Account');
    expect(supergraphOf(response.data!._service.sdl)).toBe(committed);
  });

  it('resolves users by id, in order, with null for an unknown or malformed id', async () => {
    const response = await server.graphql(USERS, { representations: [user(grace.userId), user(UNKNOWN_ID), user('not-a-uuid'), user(ada.userId)] }, { token: ada.accessToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([{ id: grace.userId, username: 'grace' }, null, null, { id: ada.userId, username: 'ada' }]);
  });

  it("keeps each user field's own rule: an email is for its owner, not for any signed-in caller", async () => {
    const response = await server.graphql(USER_EMAILS, { representations: [user(ada.userId), user(grace.userId)] }, { token: ada.accessToken });

    expect(response.data!._entities[0]).toEqual({ email: ada.email });
    expect(response.data!._entities[1]).toBeNull();
    expect(response.errors).toEqual([expect.objectContaining({ path: ['_entities', 1, 'email'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
  });

  it('refuses an anonymous caller before resolving anything: no entity field is for them', async () => {
    const response = await server.graphql(USERS, { representations: [user(ada.userId)] });
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it(`refuses more than ${MAX_REPRESENTATIONS} representations in one request with BAD_USER_INPUT, resolving none`, async () => {
    const representations = Array.from({ length: MAX_REPRESENTATIONS + 1 }, () => user(grace.userId));

    const response = await server.graphql(USERS, { representations }, { token: ada.accessToken });

    expect(response.status).toBeLessThan(500);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'representations' });
    expect(response.data).toBeNull();
  });

  it('resolves an account only for its members, so account ids cannot be probed', async () => {
    const representations = [account(ada.accountId), account(grace.accountId), account(UNKNOWN_ID), account('1; drop table')];

    const asAda = await server.graphql(ACCOUNTS, { representations }, { token: ada.accessToken });
    expect(asAda.errors).toBeUndefined();
    expect(asAda.data!._entities).toEqual([{ id: ada.accountId, name: 'Analytical Engines' }, null, null, null]);

    const anonymous = await server.graphql(ACCOUNTS, { representations });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.data).toBeNull();
  });

  it('attaches no execution trace when a gateway asks for one (traces carry unmasked error messages)', async () => {
    const response = await server.post(JSON.stringify({ query: USERS, variables: { representations: [user(ada.userId)] } }), {
      'apollo-federation-include-trace': 'ftv1',
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[]; extensions?: Record<string, unknown> };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.extensions?.ftv1).toBeUndefined();
  });

  it('answers a representation of a type that is not an entity with a client error, not a 5xx', async () => {
    const response = await server.graphql(USERS, { representations: [{ __typename: 'Session', id: UNKNOWN_ID }, { id: ada.userId }] }, { token: ada.accessToken });
    expect(response.status).toBeLessThan(500);
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'representations' });
  });
});
