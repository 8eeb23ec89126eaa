import { signUp, strongPassword, uniqueEmail } from '../support/factories';
import { codeIn } from '../support/graphql-errors';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());


/** A selection path of exactly `depth` fields below the root, walking User → Membership → Account → Membership → User … */
function queryOfDepth(depth: number): string {
  const cycle = ['memberships', 'account', 'members', 'user'];
  const scalarAfter: Record<string, string> = { me: 'id', memberships: 'role', account: 'id', members: 'role', user: 'id' };
  const path = ['me', ...Array.from({ length: depth - 2 }, (_unused, index) => cycle[index % cycle.length]!)];
  return `{ ${path.reduceRight((inner, field) => `${field} { ${inner} }`, scalarAfter[path[path.length - 1]!]!)} }`;
}

/** Every membership branching into both its user and its account: cost grows fast while depth stays bounded. */
const userTree = (depth: number): string => (depth <= 1 ? 'id' : `id email memberships { ${membershipTree(depth - 1)} }`);
const accountTree = (depth: number): string => (depth <= 1 ? 'id' : `id name members { ${membershipTree(depth - 1)} }`);
const membershipTree = (depth: number): string => (depth <= 1 ? 'role' : `role user { ${userTree(depth - 1)} } account { ${accountTree(depth - 1)} }`);

const loginField = (alias: string, email: string) =>
  `${alias}: login(input: { email: "${email}", password: "${strongPassword()}" }) { __typename }`;

describe('credential-checking mutations per request', () => {
  it('refuses two aliased logins in one request before either runs', async () => {
    const user = await signUp(server);
    const before = await server.prisma.authEvent.count({ where: { type: 'LOGIN_FAILED', userId: user.userId } });

    const response = await server.graphql(`mutation { ${loginField('a', user.email)} ${loginField('b', user.email)} }`);

    expect(response.status).toBe(400);
    expect(codeIn(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.data).toBeUndefined();
    expect(await server.prisma.authEvent.count({ where: { type: 'LOGIN_FAILED', userId: user.userId } })).toBe(before);
  });

  it('counts auth mutations inside fragments, of different kinds alike', async () => {
    const email = uniqueEmail('fragmented');
    const response = await server.graphql(`
      mutation { ...Both }
      fragment Both on Mutation {
        signUp(input: { email: "${email}", password: "${strongPassword()}" }) { accessToken }
        ... on Mutation { ${loginField('again', email)} }
      }`);

    expect(response.status).toBe(400);
    expect(codeIn(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await server.prisma.user.count({ where: { email } })).toBe(0);
  });

  it('runs a single login as usual', async () => {
    const response = await server.graphql(`mutation { ${loginField('only', uniqueEmail('single'))} }`);

    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions?.reason).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a JSON array of operations (HTTP batching is off)', async () => {
    const emails = [uniqueEmail('batched'), uniqueEmail('batched')];
    const body = emails.map((email) => ({
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }',
      variables: { input: { email, password: strongPassword() } },
    }));

    const response = await server.post(JSON.stringify(body));

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })] });
    expect(await server.prisma.user.count({ where: { email: { in: emails } } })).toBe(0);
  });
});

describe('depth, cost and size of an operation', () => {
  it('accepts a query at the configured depth and refuses one a level deeper', async () => {
    const atLimit = await server.graphql(queryOfDepth(server.config.limits.graphqlMaxDepth));
    const tooDeep = await server.graphql(queryOfDepth(server.config.limits.graphqlMaxDepth + 1));

    expect(atLimit.status).toBe(200);
    expect(atLimit.errors).toBeUndefined();
    expect(tooDeep.status).toBe(400);
    expect(codeIn(tooDeep)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(tooDeep.errors).toHaveLength(1);
  });

  it('refuses a query over the configured cost even within the depth limit', async () => {
    // Depth 10 costs about 2,600 and depth 11 about 5,400 (objects 2, scalars 1, ×1.5 per level).
    const affordable = await server.graphql(`{ me { ${userTree(9)} } }`);
    const tooCostly = await server.graphql(`{ me { ${userTree(10)} } }`);

    expect(affordable.errors).toBeUndefined();
    expect(tooCostly.status).toBe(400);
    expect(codeIn(tooCostly)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(tooCostly.errors?.[0]?.message).toMatch(/cost/i);
  });

  it('refuses more aliases than configured', async () => {
    const aliases = Array.from({ length: server.config.limits.graphqlMaxAliases + 1 }, (_unused, index) => `a${index}: me { id }`);

    const response = await server.graphql(`{ ${aliases.join(' ')} }`);

    expect(response.status).toBe(400);
    expect(codeIn(response)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('stops parsing a document of too many tokens with a 400, not a 5xx', async () => {
    const response = await server.graphql(`{ me { ${'id '.repeat(1_200)} } }`);

    expect(response.status).toBe(400);
    expect(codeIn(response)).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('limits come from the configuration', () => {
  let tight: TestServer;
  beforeAll(async () => {
    tight = await startTestServer({ GRAPHQL_MAX_COST: '100', GRAPHQL_MAX_DEPTH: '4', MAX_AUTH_MUTATIONS_PER_REQUEST: '2' });
  });
  afterAll(() => tight.close());

  it('applies the configured depth and cost', async () => {
    const deep = await tight.graphql(queryOfDepth(5));
    const wide = 'id email username createdAt emailVerified memberships { role createdAt user { id email } account { id name createdAt } }';
    // Each copy costs about 43: three of them are over 100, at depth 4.
    const costly = await tight.graphql(`{ a: me { ${wide} } b: me { ${wide} } c: me { ${wide} } }`);

    expect(codeIn(deep)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(deep.errors?.[0]?.message).toMatch(/depth/i);
    expect(codeIn(costly)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(costly.errors?.[0]?.message).toMatch(/cost/i);
  });

  it('allows as many auth mutations per request as configured, and no more', async () => {
    const email = uniqueEmail('twice');
    const two = await tight.graphql(`mutation { ${loginField('a', email)} ${loginField('b', email)} }`);
    const three = await tight.graphql(`mutation { ${loginField('a', email)} ${loginField('b', email)} ${loginField('c', email)} }`);

    expect(two.status).toBe(200);
    expect(two.errors?.[0]?.extensions?.reason).toBe('INVALID_CREDENTIALS');
    expect(three.status).toBe(400);
    expect(codeIn(three)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('field suggestions', () => {
  let production: TestServer;
  beforeAll(async () => {
    production = await startTestServer({ NODE_ENV: 'production' });
  });
  afterAll(() => production.close());

  it('are hidden in production, where introspection is off too', async () => {
    const misspelt = await production.graphql('{ me { emial } }');
    const introspection = await production.graphql('{ __schema { types { name } } }');

    expect(misspelt.status).toBe(400);
    expect(codeIn(misspelt)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(misspelt.errors?.[0]?.message).not.toMatch(/did you mean/i);
    expect(misspelt.errors?.[0]?.message).not.toContain('"email"');
    expect(codeIn(introspection)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('still apply the request limits in production', async () => {
    const response = await production.graphql(queryOfDepth(production.config.limits.graphqlMaxDepth + 1));

    expect(response.status).toBe(400);
    expect(codeIn(response)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('are shown outside production, to help whoever writes the query', async () => {
    const misspelt = await server.graphql('{ me { emial } }');

    expect(misspelt.errors?.[0]?.message).toContain('Did you mean "email"?');
  });
});
