import { decodeJwtPayload, loginTo, LOGOUT, presentRefreshToken, signUp } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { GraphQLResponse, TestServer } from '../support/test-server';

const ME_ID = `query MeId { me { id } }`;

const sessionIdOf = (accessToken: string): string => decodeJwtPayload(accessToken).sid as string;
const extensionsOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const logout = (input: Record<string, unknown> | undefined, accessToken?: string) =>
  server.graphql(LOGOUT, input === undefined ? {} : { input }, { token: accessToken ?? null });
const me = (accessToken: string) => server.graphql(ME_ID, {}, { token: accessToken });
const sessionRow = (accessToken: string) => server.prisma.session.findUniqueOrThrow({ where: { id: sessionIdOf(accessToken) } });

/** Asserts that neither token of a session works any more, each refused as a revoked session. */
async function expectEnded(tokens: { accessToken: string; refreshToken: string }): Promise<void> {
  expect(extensionsOf(await presentRefreshToken(server, tokens.refreshToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  expect(extensionsOf(await me(tokens.accessToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
}

/** Asserts that a session still answers `me` and still refreshes (which spends its refresh token). */
async function expectLive(tokens: { accessToken: string; refreshToken: string }, userId: string): Promise<void> {
  const viewer = await me(tokens.accessToken);
  expect(viewer.errors).toBeUndefined();
  expect(viewer.data!.me).toEqual({ id: userId });
  expect((await presentRefreshToken(server, tokens.refreshToken)).errors).toBeUndefined();
}

describe('logout', () => {
  it("ends the bearer's session: its refresh token and its access token stop working at once", async () => {
    const user = await signUp(server);

    const response = await logout(undefined, user.accessToken);

    expect(response.errors).toBeUndefined();
    expect(response.data!.logout).toBe(true);
    await expectEnded(user);
  });

  it('records when and why the session ended', async () => {
    const user = await signUp(server);

    await logout(undefined, user.accessToken);

    const session = await sessionRow(user.accessToken);
    expect(session.revokedAt).toBeInstanceOf(Date);
    expect(session.revokedAt!.getTime()).toBeGreaterThanOrEqual(session.createdAt.getTime());
    expect(session.revokedReason).toBe('LOGOUT');
  });

  it("leaves the same user's other sessions working", async () => {
    const user = await signUp(server);
    const otherSession = await loginTo(server, user, user.accountId);

    await logout(undefined, user.accessToken);

    await expectEnded(user);
    expect((await sessionRow(otherSession.accessToken)).revokedAt).toBeNull();
    await expectLive(otherSession, user.userId);
  });

  it("with allSessions: true ends every session of the user, and no one else's", async () => {
    const user = await signUp(server);
    const secondSession = await loginTo(server, user, user.accountId);
    const thirdSession = await loginTo(server, user, user.accountId, 'mobile');
    const bystander = await signUp(server);

    const response = await logout({ allSessions: true }, user.accessToken);

    expect(response.data!.logout).toBe(true);
    const sessions = await server.prisma.session.findMany({ where: { userId: user.userId } });
    expect(sessions).toHaveLength(3);
    for (const session of sessions) {
      expect(session.revokedAt).toBeInstanceOf(Date);
      expect(session.revokedReason).toBe('LOGOUT_ALL');
    }
    await expectEnded(user);
    await expectEnded(secondSession);
    expect(extensionsOf(await presentRefreshToken(server, thirdSession.refreshToken, 'mobile'))).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'SESSION_REVOKED',
    });
    expect(extensionsOf(await me(thirdSession.accessToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    await expectLive(bystander, bystander.userId);
  });

  it('with only a refresh token and no bearer ends that session', async () => {
    const user = await signUp(server);
    const otherSession = await loginTo(server, user, user.accountId);

    const response = await logout({ refreshToken: user.refreshToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.logout).toBe(true);
    expect((await sessionRow(user.accessToken)).revokedReason).toBe('LOGOUT');
    await expectEnded(user);
    await expectLive(otherSession, user.userId);
  });

  it('with only a refresh token and allSessions: true ends every session of its user', async () => {
    const user = await signUp(server);
    const otherSession = await loginTo(server, user, user.accountId);

    const response = await logout({ refreshToken: user.refreshToken, allSessions: true });

    expect(response.data!.logout).toBe(true);
    await expectEnded(user);
    await expectEnded(otherSession);
  });

  it('with an expired access token but a valid refresh token ends the session', async () => {
    const user = await signUp(server);
    server.clock.advance(server.config.tokens.accessTokenTtlSeconds + server.config.tokens.clockToleranceSeconds + 60);
    expect(extensionsOf(await me(user.accessToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });

    const response = await logout({ refreshToken: user.refreshToken }, user.accessToken);

    expect(response.errors).toBeUndefined();
    expect(response.data!.logout).toBe(true);
    const session = await sessionRow(user.accessToken);
    expect(session.revokedAt).toBeInstanceOf(Date);
    expect(session.revokedReason).toBe('LOGOUT');
    expect(extensionsOf(await presentRefreshToken(server, user.refreshToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  });

  it.each<[string, Record<string, unknown> | undefined]>([
    ['no input', undefined],
    ['an empty input', {}],
    ['only allSessions: true', { allSessions: true }],
  ])('with neither a bearer nor a refresh token (%s) is refused with UNAUTHENTICATED and ends nothing', async (_case, input) => {
    const user = await signUp(server);

    const response = await logout(input);

    expect(response.status).toBe(200);
    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(response.data?.logout ?? null).toBeNull();
    expect((await sessionRow(user.accessToken)).revokedAt).toBeNull();
  });

  it('with an expired access token and no refresh token is refused with TOKEN_EXPIRED and ends nothing', async () => {
    const user = await signUp(server);
    server.clock.advance(server.config.tokens.accessTokenTtlSeconds + server.config.tokens.clockToleranceSeconds + 60);

    const response = await logout(undefined, user.accessToken);

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    expect((await sessionRow(user.accessToken)).revokedAt).toBeNull();
  });

  it("with an invalid refresh token is refused with INVALID_TOKEN and ends nothing, not even the bearer's session", async () => {
    const user = await signUp(server);

    const response = await logout({ refreshToken: 'ghr_00000000-0000-4000-8000-000000000000.' + 'A'.repeat(43) }, user.accessToken);

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await sessionRow(user.accessToken)).revokedAt).toBeNull();
  });

  it("refuses a second logout with the ended session's access token as SESSION_REVOKED", async () => {
    const user = await signUp(server);
    await logout(undefined, user.accessToken);

    const again = await logout(undefined, user.accessToken);

    expect(extensionsOf(again)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  });
});
