import { CHANGE_PASSWORD, REQUEST_RESET, RESET_PASSWORD } from '../support/documents';
import { attemptLogin, loginFrom, requestResetToken, signUp, strongPassword, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { extensionsOf } from '../support/graphql-errors';
import { mailedToken, outboxMessagesTo } from '../support/outbox';
import { presentRefreshToken, presentToMe } from '../support/presenting-tokens';
import { userRow } from '../support/rows';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { opaqueTokenParts } from '../support/tokens';

const WEAK_PASSWORD = 'passwordpassword';
const MINUTE_SECONDS = 60;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const requestReset = (email: string) => server.graphql(REQUEST_RESET, { email });
const reset = (token: string, newPassword: string) => server.graphql(RESET_PASSWORD, { token, newPassword });
const changePassword = (user: { accessToken: string }, currentPassword: string, newPassword: string) =>
  server.graphql(CHANGE_PASSWORD, { currentPassword, newPassword }, { token: user.accessToken });
const passwordHashOf = async (userId: string) => (await userRow(server, userId)).passwordHash;
const tokenRow = (token: string) => server.prisma.emailToken.findUniqueOrThrow({ where: { id: opaqueTokenParts(token).id } });

/** Asserts that the password is `password`: it logs in, and login answers an AuthPayload. */
async function expectPasswordIs(email: string, password: string): Promise<void> {
  const response = await attemptLogin(server, { email, password });
  expect(response.errors).toBeUndefined();
  expect(response.data!.login.__typename).toBe('AuthPayload');
}

async function expectPasswordIsNot(email: string, password: string): Promise<void> {
  expect(extensionsOf(await attemptLogin(server, { email, password }))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
}

describe('requestPasswordReset', () => {
  it('answers true for a known and an unknown email alike, and mails only the known address', async () => {
    const user = await signUp(server);
    const unknown = uniqueEmail('nobody');
    const mailedBefore = (await outboxMessagesTo(server, user.email)).length;

    const forUnknown = await requestReset(unknown);
    const forKnown = await requestReset(user.email);

    expect(forUnknown.errors).toBeUndefined();
    expect(forKnown.errors).toBeUndefined();
    expect(forUnknown.data).toEqual({ requestPasswordReset: true });
    expect(forKnown.data).toEqual({ requestPasswordReset: true });
    await mailedToken(server, user.email, 'reset-password');
    expect(await outboxMessagesTo(server, user.email)).toHaveLength(mailedBefore + 1);
    expect(await outboxMessagesTo(server, unknown)).toHaveLength(0);
  });

  it('refuses a malformed email with BAD_USER_INPUT on email', async () => {
    const response = await requestReset('not an email address');

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  });

  it('mails a reset-password link under the public URL, in the plain text and the HTML alike', async () => {
    const user = await signUp(server);

    const token = await requestResetToken(server, user.email);

    const message = (await outboxMessagesTo(server, user.email)).at(-1)!;
    const link = `${server.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    expect(token).toMatch(/^ghp_/);
    expect(message.text).toContain(link);
    expect(message.html).toContain(link);
  });

  it('builds the link on PUBLIC_URL when one is configured', async () => {
    const configured = await startTestServer({ PUBLIC_URL: 'https://app.example.test' });
    try {
      const user = await signUp(configured);
      await configured.graphql(REQUEST_RESET, { email: user.email });
      const token = await mailedToken(configured, user.email, 'reset-password');

      const message = (await outboxMessagesTo(configured, user.email)).at(-1)!;

      expect(message.text).toContain(`https://app.example.test/reset-password?token=${token}`);
      expect(message.html).toContain(`https://app.example.test/reset-password?token=${token}`);
    } finally {
      await configured.close();
    }
  });

  it("stores the link's token only as a hash of its secret", async () => {
    const user = await signUp(server);
    const token = await requestResetToken(server, user.email);
    const secret = token.split('.')[1]!;

    const row = await tokenRow(token);

    expect(row).toMatchObject({ userId: user.userId, purpose: 'RESET_PASSWORD', consumedAt: null });
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it('makes the earlier link stop working when a new one is asked for', async () => {
    const user = await signUp(server);
    const first = await requestResetToken(server, user.email);
    const second = await requestResetToken(server, user.email);
    expect(second).not.toBe(first);

    const withFirst = await reset(first, strongPassword());

    expect(extensionsOf(withFirst)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await reset(second, strongPassword())).errors).toBeUndefined();
  });
});

describe('resetPassword', () => {
  it('sets the new password: it logs in and the old one no longer does', async () => {
    const user = await signUp(server);
    const newPassword = strongPassword();

    const response = await reset(await requestResetToken(server, user.email), newPassword);

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ resetPassword: true });
    await expectPasswordIs(user.email, newPassword);
    await expectPasswordIsNot(user.email, user.password);
  });

  it('ends every session of the user: access tokens are SESSION_REVOKED and refresh tokens are refused', async () => {
    const user = await signUp(server);
    const other = await loginFrom(server, user, { clientId: 'mobile' });

    await reset(await requestResetToken(server, user.email), strongPassword());

    for (const session of [user, other]) {
      expect(extensionsOf(await presentToMe(server, session.accessToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    }
    expect(extensionsOf(await presentRefreshToken(server, user.refreshToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    expect(extensionsOf(await presentRefreshToken(server, other.refreshToken, 'mobile'))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    const sessions = await server.prisma.session.findMany({ where: { userId: user.userId } });
    expect(sessions).toHaveLength(2);
    expect(sessions.map((session) => session.revokedReason)).toEqual(['PASSWORD_RESET', 'PASSWORD_RESET']);
  });

  it('works once: a second use of the link is refused and the password stays the first new one', async () => {
    const user = await signUp(server);
    const token = await requestResetToken(server, user.email);
    const firstPassword = strongPassword();
    expect((await reset(token, firstPassword)).errors).toBeUndefined();

    const again = await reset(token, strongPassword());

    expect(extensionsOf(again)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    await expectPasswordIs(user.email, firstPassword);
  });

  it('refuses a link older than 30 minutes as TOKEN_EXPIRED and keeps the password', async () => {
    const user = await signUp(server);
    const token = await requestResetToken(server, user.email);
    server.clock.advance(31 * MINUTE_SECONDS);

    const response = await reset(token, strongPassword());

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    await expectPasswordIs(user.email, user.password);
  });

  it('accepts a link still inside its 30 minutes', async () => {
    const user = await signUp(server);
    const token = await requestResetToken(server, user.email);
    server.clock.advance(29 * MINUTE_SECONDS);

    const response = await reset(token, strongPassword());

    expect(response.errors).toBeUndefined();
  });

  it('refuses a weak new password with BAD_USER_INPUT on newPassword without spending the link, so a strong one then works', async () => {
    const user = await signUp(server);
    const token = await requestResetToken(server, user.email);
    const hashBefore = await passwordHashOf(user.userId);

    const weak = await reset(token, WEAK_PASSWORD);

    expect(extensionsOf(weak)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword', reason: 'WEAK_PASSWORD' });
    expect(await passwordHashOf(user.userId)).toBe(hashBefore);
    expect((await tokenRow(token)).consumedAt).toBeNull();
    expect(extensionsOf(await presentToMe(server, user.accessToken))).toBeUndefined();
    const strongPasswordValue = strongPassword();
    expect((await reset(token, strongPasswordValue)).errors).toBeUndefined();
    await expectPasswordIs(user.email, strongPasswordValue);
  });

  it('refuses a password built from the email address with BAD_USER_INPUT on newPassword', async () => {
    const user = await signUp(server, { email: uniqueEmail('grace.hopper.cobol') });
    const token = await requestResetToken(server, user.email);

    const response = await reset(token, user.email);

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword', reason: 'WEAK_PASSWORD' });
  });

  it('refuses an oversized token with BAD_USER_INPUT on token', async () => {
    const response = await reset(`ghp_${'A'.repeat(5000)}`, strongPassword());

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  });

  it.each<[string, (user: SignedUpUser) => Promise<string>]>([
    ['an email-verification token', (user) => mailedToken(server, user.email, 'verify-email')],
    ['a refresh token', async (user) => user.refreshToken],
  ])('refuses %s in place of a reset link', async (_case, tokenOf) => {
    const user = await signUp(server, { unverified: true });
    const token = await tokenOf(user);

    const response = await reset(token, strongPassword());

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    await expectPasswordIs(user.email, user.password);
  });
});

describe('changePassword', () => {
  it('sets the new password given the right current one', async () => {
    const user = await signUp(server);
    const newPassword = strongPassword();

    const response = await changePassword(user, user.password, newPassword);

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ changePassword: true });
    await expectPasswordIs(user.email, newPassword);
    await expectPasswordIsNot(user.email, user.password);
  });

  it('refuses a wrong current password with UNAUTHENTICATED INVALID_CREDENTIALS and changes nothing', async () => {
    const user = await signUp(server);
    const other = await loginFrom(server, user, { clientId: 'mobile' });
    const hashBefore = await passwordHashOf(user.userId);

    const response = await changePassword(user, `${user.password}-wrong`, strongPassword());

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    expect(await passwordHashOf(user.userId)).toBe(hashBefore);
    expect(extensionsOf(await presentToMe(server, other.accessToken))).toBeUndefined();
    expect(extensionsOf(await presentToMe(server, user.accessToken))).toBeUndefined();
  });

  it('applies the password policy: a weak new password is BAD_USER_INPUT on newPassword', async () => {
    const user = await signUp(server);
    const hashBefore = await passwordHashOf(user.userId);

    const response = await changePassword(user, user.password, WEAK_PASSWORD);

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword', reason: 'WEAK_PASSWORD' });
    expect(await passwordHashOf(user.userId)).toBe(hashBefore);
  });

  it('refuses the current password as the new one with BAD_USER_INPUT on newPassword', async () => {
    const user = await signUp(server);

    const response = await changePassword(user, user.password, user.password);

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
  });

  it("keeps the session that changed it working and ends the user's other sessions", async () => {
    const user = await signUp(server);
    const laptop = await loginFrom(server, user, { clientId: 'laptop' });
    const phone = await loginFrom(server, user, { clientId: 'phone' });
    const bystander = await signUp(server);

    const response = await changePassword(laptop, user.password, strongPassword());

    expect(response.errors).toBeUndefined();
    const stillMe = await presentToMe(server, laptop.accessToken);
    expect(stillMe.errors).toBeUndefined();
    expect(stillMe.data!.me!.id).toBe(user.userId);
    expect((await presentRefreshToken(server, laptop.refreshToken, 'laptop')).errors).toBeUndefined();
    for (const ended of [user, phone]) {
      expect(extensionsOf(await presentToMe(server, ended.accessToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    }
    expect(extensionsOf(await presentRefreshToken(server, phone.refreshToken, 'phone'))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    const revoked = await server.prisma.session.findMany({ where: { userId: user.userId, revokedAt: { not: null } } });
    expect(revoked.map((session) => session.revokedReason)).toEqual(['PASSWORD_CHANGED', 'PASSWORD_CHANGED']);
    expect(extensionsOf(await presentToMe(server, bystander.accessToken))).toBeUndefined();
  });

  it('needs a signed-in user', async () => {
    const response = await server.graphql(CHANGE_PASSWORD, { currentPassword: 'anything-at-all', newPassword: strongPassword() }, { token: null });

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
