import { LOGIN } from '../support/documents';
import { signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface LogLine {
  readonly msg: string;
  readonly requestId?: string;
  readonly userId?: string | null;
}

describe('request ids', () => {
  let server: TestServer;
  let user: SignedUpUser;
  beforeAll(async () => {
    // The hostile ids ride on failed logins: no lock may come between them and the log line they make.
    server = await startTestServer({ GRAPHQL_BODY_LIMIT: '1kb', LOGIN_BACKOFF_AFTER_FAILURES: '1000', LOGIN_LOCK_AFTER_FAILURES: '1000' });
    user = await signUp(server, { unverified: true });
  });
  afterAll(() => server.close());

  const logLines = (): LogLine[] => server.logs.map((line) => JSON.parse(line) as LogLine);
  const login = (password: string, requestId?: string) =>
    server.graphql(LOGIN, { input: { email: user.email, password } }, requestId === undefined ? {} : { headers: { 'x-request-id': requestId } });

  const responses: [string, (headers: Record<string, string>) => Promise<Response>][] = [
    ['a GraphQL answer', (headers) => server.post(JSON.stringify({ query: '{ __typename }' }), headers)],
    ['a GraphQL error (a refused field)', (headers) => server.post(JSON.stringify({ query: '{ mySessions { id } }' }), headers)],
    ['a validation failure (400)', (headers) => server.post(JSON.stringify({ query: '{ nothingHere }' }), headers)],
    ['malformed JSON (400)', (headers) => server.post('{"query":', headers)],
    ['an oversized body (413)', (headers) => server.post(JSON.stringify({ query: `{ __typename } #${'x'.repeat(2048)}` }), headers)],
    ['/healthz', (headers) => fetch(`${server.url}/healthz`, { headers })],
    ['/readyz', (headers) => fetch(`${server.url}/readyz`, { headers })],
    ['the JWKS', (headers) => fetch(`${server.url}/.well-known/jwks.json`, { headers })],
    ['an unknown path (404)', (headers) => fetch(`${server.url}/nothing-here`, { headers })],
  ];

  it.each(responses)('are made for %s that came without one, a new one each time', async (_case, send) => {
    const [first, second] = [await send({}), await send({})];
    expect(first.headers.get('x-request-id')).toMatch(UUID);
    expect(second.headers.get('x-request-id')).toMatch(UUID);
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
  });

  it.each(responses)("are echoed with %s when the caller's is acceptable", async (_case, send) => {
    const requestId = 'lb-7f3a9c.01:42_X-9';
    expect((await send({ 'X-Request-Id': requestId })).headers.get('x-request-id')).toBe(requestId);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with a space', 'abc def'],
    ['shaped to forge a log field', '","level":60,"msg":"forged'],
    ['a path', '../../etc/passwd'],
    ['with a control character', 'id\tinjected'],
  ])('replace one %s with a new one, in the response and in the log', async (_case, hostile) => {
    const response = await login('not the password', hostile);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(UUID);
    expect(logLines().find((line) => line.msg === 'login failed' && line.requestId === requestId)).toBeDefined();
    expect(server.logs.join('\n')).not.toContain(hostile.replaceAll('"', '\\"'));
  });

  it('keeps one of exactly 128 acceptable characters', async () => {
    const requestId = 'A1._:-'.repeat(21) + 'ab';
    expect((await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': requestId } })).headers.get('x-request-id')).toBe(requestId);
  });

  it('is on every log line written while handling the request, each concurrent request its own', async () => {
    const ids = ['login-a-1', 'login-b-2', 'login-c-3', 'login-d-4'];
    const answers = await Promise.all(ids.map((requestId, index) => login(index % 2 === 0 ? user.password : 'not the password', requestId)));
    expect(answers.map((answer) => answer.headers.get('x-request-id'))).toEqual(ids);
    const lines = logLines().filter((line) => line.requestId !== undefined && ids.includes(line.requestId));
    expect(lines.map((line) => [line.requestId, line.msg]).sort()).toEqual([
      ['login-a-1', 'login succeeded'],
      ['login-b-2', 'login failed'],
      ['login-c-3', 'login succeeded'],
      ['login-d-4', 'login failed'],
    ]);
    expect(lines.every((line) => line.userId === user.userId)).toBe(true);
  });

  it('is on no log line written outside a request', async () => {
    const before = server.logs.length;
    server.app.logger.info('outside any request');
    await Promise.resolve();
    expect(JSON.parse(server.logs[before]!)).not.toHaveProperty('requestId');
  });
});
