import { SIGN_UP } from '../support/documents';
import { strongPassword, uniqueEmail } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const SECRET = 'Hunter2-never-echo-me-9f8e7d';

describe('malformed requests', () => {
  it.each([
    ['an unknown input field', { email: uniqueEmail(), password: SECRET, isAdmin: true }],
    ['a missing required field', { password: SECRET }],
    ['a password of the wrong type', { email: uniqueEmail(), password: { value: SECRET } }],
    ['a list where an object belongs', [SECRET]],
  ])('answers %s with BAD_USER_INPUT and never echoes the submitted values', async (_case, input) => {
    const response = await server.graphql(SIGN_UP, { input });
    expect(response.status).toBeLessThan(500);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(response.errors)).not.toContain(SECRET);
    expect(server.logs.join('')).not.toContain(SECRET);
  });

  it('names the offending field of a bad variable', async () => {
    const response = await server.graphql(SIGN_UP, { input: { email: uniqueEmail(), password: 42 } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password' });
  });

  it('answers malformed JSON with 400 in the GraphQL error shape', async () => {
    const response = await server.post('{"query": "{ me { id } ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })] });
  });

  it('answers a syntax error and an unknown field without a stack trace', async () => {
    for (const query of ['{ me { id ', '{ me { passwordHash } }']) {
      const response = await server.graphql(query);
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions?.code).toMatch(/^GRAPHQL_(PARSE|VALIDATION)_FAILED$/);
      expect(response.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
    }
  });

  it('writes no row when sign-up input is refused', async () => {
    const before = await server.prisma.user.count();
    await server.graphql(SIGN_UP, { input: { email: 'broken', password: strongPassword() } });
    await server.graphql(SIGN_UP, { input: { email: uniqueEmail(), password: 'short' } });
    expect(await server.prisma.user.count()).toBe(before);
    expect(await server.prisma.account.count()).toBe(0);
  });
});

describe('health endpoints', () => {
  it('reports the process up and the database reachable', async () => {
    const health = await fetch(`${server.url}/healthz`);
    const ready = await fetch(`${server.url}/readyz`);
    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ database: 'up' });
  });
});
