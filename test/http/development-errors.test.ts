import { createOpaqueToken, TokenPrefix } from '../../src/tokens/opaque-token';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/**
 * In development an error response keeps a stack trace only where it helps: on an unexpected failure,
 * not on the expected refusals every client meets (UNAUTHENTICATED, BAD_USER_INPUT …).
 */
const LOGIN_ACCOUNTS = 'query ($selectionToken: String!) { loginAccounts(selectionToken: $selectionToken) { selectionToken } }';
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ NODE_ENV: 'development' });
});

afterEach(async () => {
  await server.close();
});

describe('error responses in development', () => {
  it('have no stack trace for an expected refusal', async () => {
    const refused = await server.graphql(LOGIN_ACCOUNTS, { selectionToken: createOpaqueToken(TokenPrefix.selection).token });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refused.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');

    const invalid = await server.graphql('mutation { login(input: { email: "not an email", password: "x" }) { __typename } }');
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(invalid.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
  });

  it('keep the stack trace of an unexpected failure, behind the same masked message', async () => {
    // A real failure the code does not expect: the table the lookup reads is gone.
    await server.prisma.$executeRawUnsafe('ALTER TABLE "AccountSelection" RENAME TO "AccountSelectionGone"');
    const failed = await server.graphql(LOGIN_ACCOUNTS, { selectionToken: createOpaqueToken(TokenPrefix.selection).token });
    expect(failed.errors?.[0]).toMatchObject({ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const stacktrace = failed.errors?.[0]?.extensions?.stacktrace as string[];
    expect(stacktrace.some((line) => line.includes('AccountSelection'))).toBe(true);
    expect(stacktrace.some((line) => /^\s+at /.test(line))).toBe(true);
  });
});
