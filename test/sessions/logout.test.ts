import { LOGOUT, ME_ID } from '../support/documents';
import { loginTo, signUp } from '../support/factories';
import { extensionsOf } from '../support/graphql-errors';
import { presentRefreshToken, presentToMe } from '../support/presenting-tokens';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { sessionIdOf } from '../support/tokens';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const logout = (input: Record<string, unknown> | undefined, accessToken?: string) =>
  server.graphql(LOGOUT, input === undefined ? {} : { input }, { token: accessToken ?? null });
const sessionRow = (accessToken: string) => server.prisma.session.findUniqueOrThrow({ where: { id: sessionIdOf(accessToken) } });

/** Asserts that neither token of a session works any more, each refused as a revoked session. */
async function expectEnded(tokens: { accessToken: string; refreshToken: string }): Promise<void> {
  expect(extensionsOf(await presentRefreshToken(server, tokens.refreshToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  expect(extensionsOf(await presentToMe(server, tokens.accessToken, ME_ID))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
}

/** Asserts that a session still answers `me` and still refreshes (which spends its refresh token). */
async function expectLive(tokens: { accessToken: string; refreshToken: string }, userId: string, clientId?: string): Promise<void> {
  const viewer = await presentToMe(server, tokens.accessToken, ME_ID);
  expect(viewer.errors).toBeUndefined();
  expect(viewer.data!.me).toEqual({ id: userId });
  expect((await presentRefreshToken(server, tokens.refreshToken, clientId)).errors).toBeUndefined();
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
    expect(extensionsOf(await presentToMe(server, thirdSession.accessToken, ME_ID))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
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
    expect(extensionsOf(await presentToMe(server, user.accessToken, ME_ID))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });

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

describe('logout with a refresh token: only a live, current one of the right client', () => {
  it('refuses a rotated token from an ended, client-bound session, leaving the fresh sessions alone', async () => {
    const victim = await signUp(server, { clientId: 'web' });
    const stale = victim.refreshToken;
    const rotated = await presentRefreshToken(server, stale, 'web');
    await logout({ refreshToken: rotated.data!.refreshToken.refreshToken, clientId: 'web' });
    const fresh = await loginTo(server, victim, victim.accountId, 'web');

    const attempts = await Promise.all([
      logout({ refreshToken: stale, clientId: 'web', allSessions: true }),
      logout({ refreshToken: stale, allSessions: true }),
    ]);

    for (const attempt of attempts) expect(extensionsOf(attempt)?.code).toBe('UNAUTHENTICATED');
    await expectLive(fresh, victim.userId, 'web');
  });

  it("refuses another client's token (CLIENT_MISMATCH) and ends nothing", async () => {
    const user = await signUp(server, { clientId: 'mobile' });

    const response = await logout({ refreshToken: user.refreshToken, clientId: 'web', allSessions: true });

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CLIENT_MISMATCH' });
    await expectLive(user, user.userId, 'mobile');
  });

  it('treats a rotated token outside the grace window as reuse: that session ends, and no other', async () => {
    const user = await signUp(server);
    const other = await loginTo(server, user, user.accountId);
    const rotated = await presentRefreshToken(server, user.refreshToken);
    server.clock.advance(server.config.sessions.refreshReuseGraceSeconds + 1);

    const response = await logout({ refreshToken: user.refreshToken, allSessions: true });

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REFRESH_TOKEN_REUSED' });
    expect(extensionsOf(await presentToMe(server, rotated.data!.refreshToken.accessToken, ME_ID))).toMatchObject({ reason: 'SESSION_REVOKED' });
    await expectLive(other, user.userId);
  });

  it('accepts a token rotated within the grace window (a refresh and a logout racing from two tabs)', async () => {
    const user = await signUp(server);
    await presentRefreshToken(server, user.refreshToken);

    const response = await logout({ refreshToken: user.refreshToken });

    expect(response.data).toEqual({ logout: true });
    expect((await sessionRow(user.accessToken)).revokedReason).toBe('LOGOUT');
  });
});
