import { CHANGE_PASSWORD, LOGIN, LOGOUT, ME, REQUEST_RESET, RESEND_VERIFICATION, SIGN_UP, SWITCH_ACCOUNT, VERIFY_EMAIL } from '../support/documents';
import { signUp, strongPassword, uniqueEmail } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import type { TypedDocument } from '../support/graphql-client';
import { extensionsOf } from '../support/graphql-errors';
import { mailedToken, outboxMessagesTo } from '../support/outbox';
import { presentRefreshToken } from '../support/presenting-tokens';
import { roleIn, userRow } from '../support/rows';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { decodeJwtPayload, opaqueTokenParts } from '../support/tokens';

const VERIFY_EMAIL_SHOWING_USER = typedDocument<{ verifyEmail: { id: string; email: string; emailVerified: boolean } }>(
  `mutation Verify($token: String!) { verifyEmail(token: $token) { id email emailVerified } }`,
);
const ACCOUNT = `query Account($id: ID!) { account(id: $id) { id name } }`;
const MY_SESSIONS = typedDocument<{ mySessions: { id: string }[] }>(`query MySessions { mySessions { id } }`);

const DAY_SECONDS = 24 * 60 * 60;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const verify = (token: string) => server.graphql(VERIFY_EMAIL, { token });

describe('sign-up and email verification', () => {
  it('leaves a new user unverified and only a guest of the account their sign-up created', async () => {
    const email = uniqueEmail('new');

    const response = await server.graphql(SIGN_UP, { input: { email, password: strongPassword() } });

    expect(response.errors).toBeUndefined();
    const payload = response.data!.signUp;
    expect(payload).toMatchObject({ role: 'guest', access: [], user: { email, emailVerified: false } });
    expect(decodeJwtPayload(payload.accessToken).role).toBe('guest');
    expect((await userRow(server, payload.user.id)).emailVerifiedAt).toBeNull();
    expect(await roleIn(server, payload.user.id, payload.account.id)).toBe('guest');
  });

  it('mails one verification link, in the plain text and the HTML alike, under the default public URL', async () => {
    const user = await signUp(server, { unverified: true });

    const messages = await outboxMessagesTo(server, user.email);

    expect(messages).toHaveLength(1);
    const link = `http://localhost:${server.config.port}/verify-email?token=`;
    expect(messages[0]!.text).toContain(link);
    expect(messages[0]!.html).toContain(link);
    const token = await mailedToken(server, user.email, 'verify-email');
    expect(token).toMatch(/^ghv_/);
    expect(messages[0]!.html).toContain(encodeURIComponent(token));
  });

  it('builds the link on PUBLIC_URL when one is configured', async () => {
    const configured = await startTestServer({ PUBLIC_URL: 'https://app.example.test' });
    try {
      const user = await signUp(configured, { unverified: true });

      const [message] = await outboxMessagesTo(configured, user.email);

      const links = [message!.text, message!.html].map((body) => /(\S+)\/verify-email\?token=/.exec(body.replace(/"/g, ' '))?.[1]);
      expect(links).toEqual(['https://app.example.test', 'https://app.example.test']);
    } finally {
      await configured.close();
    }
  });

  it("stores the link's token only as a hash of its secret", async () => {
    const user = await signUp(server, { unverified: true });
    const token = await mailedToken(server, user.email, 'verify-email');
    const { id, secret } = opaqueTokenParts(token);

    const rows = await server.prisma.emailToken.findMany({ where: { userId: user.userId } });

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, purpose: 'VERIFY_EMAIL', email: user.email, consumedAt: null });
    expect(rows[0]!.secretHash).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('marks the user verified and makes them owner of their own account; the next refresh carries the owner role', async () => {
    const user = await signUp(server, { unverified: true });

    const response = await verify(await mailedToken(server, user.email, 'verify-email'));

    expect(response.errors).toBeUndefined();
    expect(response.data!.verifyEmail).toEqual({ id: user.userId, emailVerified: true });
    expect((await userRow(server, user.userId)).emailVerifiedAt).toBeInstanceOf(Date);
    expect(await roleIn(server, user.userId, user.accountId)).toBe('owner');
    const refreshed = await presentRefreshToken(server, user.refreshToken);
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data!.refreshToken.role).toBe('owner');
    expect(decodeJwtPayload(refreshed.data!.refreshToken.accessToken).role).toBe('owner');
  });

  it('raises only the account their own sign-up created, not a guest place in someone else’s account', async () => {
    const owner = await signUp(server);
    const newcomer = await signUp(server, { unverified: true });
    // Only a verified address can accept an invitation now; a guest place like this one could be left from before.
    await server.prisma.membership.create({ data: { userId: newcomer.userId, accountId: owner.accountId, roleName: 'guest' } });

    await verify(await mailedToken(server, newcomer.email, 'verify-email'));

    expect(await roleIn(server, newcomer.userId, newcomer.accountId)).toBe('owner');
    expect(await roleIn(server, newcomer.userId, owner.accountId)).toBe('guest');
  });

  it('accepts a link once: a second use is refused as UNAUTHENTICATED', async () => {
    const user = await signUp(server, { unverified: true });
    const token = await mailedToken(server, user.email, 'verify-email');
    expect((await verify(token)).errors).toBeUndefined();

    const again = await verify(token);

    expect(extensionsOf(again)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect(again.data?.verifyEmail ?? null).toBeNull();
  });

  it('refuses a link older than 24 hours as TOKEN_EXPIRED and leaves the user unverified', async () => {
    const user = await signUp(server, { unverified: true });
    const token = await mailedToken(server, user.email, 'verify-email');
    server.clock.advance(DAY_SECONDS + 1);

    const response = await verify(token);

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    expect((await userRow(server, user.userId)).emailVerifiedAt).toBeNull();
    expect(await roleIn(server, user.userId, user.accountId)).toBe('guest');
  });

  it('works without an Authorization header and shows the verified user their own id and email', async () => {
    const user = await signUp(server, { unverified: true });

    const response = await server.graphql(VERIFY_EMAIL_SHOWING_USER, { token: await mailedToken(server, user.email, 'verify-email') }, { token: null });

    expect(response.errors).toBeUndefined();
    expect(response.data!.verifyEmail).toEqual({ id: user.userId, email: user.email, emailVerified: true });
  });

  it('refuses a password-reset token and leaves both the user unverified and the reset link usable', async () => {
    const user = await signUp(server, { unverified: true });
    await server.graphql(REQUEST_RESET, { email: user.email });
    const resetToken = await mailedToken(server, user.email, 'reset-password');
    expect(resetToken).toMatch(/^ghp_/);

    const response = await verify(resetToken);

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await userRow(server, user.userId)).emailVerifiedAt).toBeNull();
    const resetRow = await server.prisma.emailToken.findUniqueOrThrow({ where: { id: opaqueTokenParts(resetToken).id } });
    expect(resetRow.consumedAt).toBeNull();
  });

  it('refuses a refresh token and leaves the user unverified and the refresh token usable', async () => {
    const user = await signUp(server, { unverified: true });

    const response = await verify(user.refreshToken);

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await userRow(server, user.userId)).emailVerifiedAt).toBeNull();
    expect((await presentRefreshToken(server, user.refreshToken)).errors).toBeUndefined();
  });

  it('refuses an oversized token with BAD_USER_INPUT on token', async () => {
    const response = await verify(`ghv_${'A'.repeat(5000)}`);

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  });

  it('refuses a verification link whose secret was altered', async () => {
    const user = await signUp(server, { unverified: true });
    const token = await mailedToken(server, user.email, 'verify-email');
    const { id, secret } = opaqueTokenParts(token);
    const altered = `ghv_${id}.${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;

    const response = await verify(altered);

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await userRow(server, user.userId)).emailVerifiedAt).toBeNull();
  });
});

describe('resendVerification', () => {
  it('mails a fresh link that works, and the earlier link stops working', async () => {
    const user = await signUp(server, { unverified: true });
    const first = await mailedToken(server, user.email, 'verify-email');

    const response = await server.graphql(RESEND_VERIFICATION, {}, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.resendVerification).toBe(true);
    expect(await outboxMessagesTo(server, user.email)).toHaveLength(2);
    const second = await mailedToken(server, user.email, 'verify-email');
    expect(second).not.toBe(first);
    expect(extensionsOf(await verify(first))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await userRow(server, user.userId)).emailVerifiedAt).toBeNull();
    expect((await verify(second)).errors).toBeUndefined();
    expect((await userRow(server, user.userId)).emailVerifiedAt).toBeInstanceOf(Date);
  });

  it('leaves exactly one live link when two resends race', async () => {
    const user = await signUp(server, { unverified: true });

    const responses = await Promise.all(Array.from({ length: 10 }, () => server.graphql(RESEND_VERIFICATION, {}, { token: user.accessToken })));

    expect(responses.every((response) => response.data?.resendVerification === true)).toBe(true);
    expect(await server.prisma.emailToken.count({ where: { userId: user.userId, purpose: 'VERIFY_EMAIL', consumedAt: null } })).toBe(1);
  });

  it('leaves exactly one live link when links are issued at the very same moment', async () => {
    const user = await signUp(server, { unverified: true });
    const { emailVerification } = server.app.services;

    // Started together, so every issue reaches the database before any has finished: the interleaving HTTP only sometimes gets.
    await Promise.all(Array.from({ length: 5 }, () => emailVerification.send({ id: user.userId, email: user.email }, { ip: null, userAgent: null })));

    expect(await server.prisma.emailToken.count({ where: { userId: user.userId, purpose: 'VERIFY_EMAIL', consumedAt: null } })).toBe(1);
  });

  it('refuses a user whose email is already verified with BAD_USER_INPUT ALREADY_VERIFIED and mails nothing', async () => {
    const user = await signUp(server);
    const mailed = (await outboxMessagesTo(server, user.email)).length;

    const response = await server.graphql(RESEND_VERIFICATION, {}, { token: user.accessToken });

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ALREADY_VERIFIED' });
    expect(await outboxMessagesTo(server, user.email)).toHaveLength(mailed);
  });

  it('needs a signed-in user', async () => {
    const response = await server.graphql(RESEND_VERIFICATION, {}, { token: null });

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('an unverified user', () => {
  it('can read me', async () => {
    const user = await signUp(server, { unverified: true });

    const response = await server.graphql(ME, {}, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.me).toEqual({ id: user.userId, email: user.email });
  });

  it('can log in and refresh', async () => {
    const user = await signUp(server, { unverified: true });

    const login = await server.graphql(LOGIN, { input: { email: user.email, password: user.password } });
    const refresh = await presentRefreshToken(server, user.refreshToken);

    expect(login.errors).toBeUndefined();
    expect(login.data!.login).toMatchObject({ __typename: 'AuthPayload', role: 'guest' });
    expect(refresh.errors).toBeUndefined();
    expect(refresh.data!.refreshToken.role).toBe('guest');
  });

  it('can log out', async () => {
    const user = await signUp(server, { unverified: true });

    const response = await server.graphql(LOGOUT, {}, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.logout).toBe(true);
    expect(extensionsOf(await server.graphql(ME, {}, { token: user.accessToken }))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  });

  it('can ask for another link and verify with it', async () => {
    const user = await signUp(server, { unverified: true });

    const resent = await server.graphql(RESEND_VERIFICATION, {}, { token: user.accessToken });
    const verified = await verify(await mailedToken(server, user.email, 'verify-email'));

    expect(resent.errors).toBeUndefined();
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.verifyEmail).toEqual({ id: user.userId, emailVerified: true });
  });

  it.each<[string, TypedDocument<unknown>, (user: { accountId: string; password: string }) => Record<string, unknown>]>([
    ['account(id:)', ACCOUNT, (user) => ({ id: user.accountId })],
    ['mySessions', MY_SESSIONS, () => ({})],
    ['switchAccount', SWITCH_ACCOUNT, (user) => ({ accountId: user.accountId })],
    ['changePassword', CHANGE_PASSWORD, (user) => ({ currentPassword: user.password, newPassword: strongPassword() })],
  ])('is refused %s with FORBIDDEN EMAIL_NOT_VERIFIED', async (_field, document, variables) => {
    const user = await signUp(server, { unverified: true });

    const response = await server.graphql(document, variables(user), { token: user.accessToken });

    expect(extensionsOf(response)).toMatchObject({ code: 'FORBIDDEN', reason: 'EMAIL_NOT_VERIFIED' });
  });

  it('keeps their password when changePassword is refused for want of verification', async () => {
    const user = await signUp(server, { unverified: true });
    const before = (await userRow(server, user.userId)).passwordHash;

    await server.graphql(CHANGE_PASSWORD, { currentPassword: user.password, newPassword: strongPassword() }, { token: user.accessToken });

    expect((await userRow(server, user.userId)).passwordHash).toBe(before);
  });

  it('gets in with the same access token once verified, without logging in again', async () => {
    const user = await signUp(server, { unverified: true });
    await verify(await mailedToken(server, user.email, 'verify-email'));

    const response = await server.graphql(MY_SESSIONS, {}, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.mySessions).toHaveLength(1);
  });
});
