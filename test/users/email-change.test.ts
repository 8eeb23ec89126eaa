import { LOGIN, RESET_PASSWORD, SIGN_UP, VERIFY_EMAIL } from '../support/documents';
import { attemptLogin, loginFrom, requestResetToken, signUp, strongPassword, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { codeIn, extensionsOf, reasonIn } from '../support/graphql-errors';
import { mailedToken, outboxMessagesTo } from '../support/outbox';
import { expectAccessTokenRefused, presentRefreshToken, presentToMe } from '../support/presenting-tokens';
import { roleIn, userRow } from '../support/rows';
import { sleep } from '../support/sleep';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const CHANGE_EMAIL = typedDocument<{ changeEmail: boolean }>(`mutation ChangeEmail($input: ChangeEmailInput!) { changeEmail(input: $input) }`);
const CONFIRM_EMAIL_CHANGE = typedDocument<{ confirmEmailChange: { id: string; email: string; emailVerified: boolean } }>(
  `mutation ConfirmEmailChange($token: String!) { confirmEmailChange(token: $token) { id email emailVerified } }`,
);

const DAY_SECONDS = 24 * 60 * 60;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const changeEmail = (user: Pick<SignedUpUser, 'accessToken' | 'password'>, newEmail: string, currentPassword = user.password) =>
  server.graphql(CHANGE_EMAIL, { input: { newEmail, currentPassword } }, { token: user.accessToken });

const confirm = (token: string, accessToken?: string) => server.graphql(CONFIRM_EMAIL_CHANGE, { token }, accessToken ? { token: accessToken } : {});

/** The messages mailed to `to`, once there are at least `count` (the change mails go out after the answer). */
async function mailTo(to: string, count = 1) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const messages = await outboxMessagesTo(server, to);
    if (messages.length >= count) return messages;
    await sleep(20);
  }
  throw new Error(`fewer than ${count} messages to ${to}`);
}

/** Asks for the change and reads the confirmation token from the new address's mail. */
async function requestedChangeToken(user: SignedUpUser, newEmail: string): Promise<string> {
  const response = await changeEmail(user, newEmail);
  expect(response.errors).toBeUndefined();
  return mailedToken(server, newEmail, 'confirm-email-change');
}

describe('changeEmail', () => {
  it('mails a confirmation link to the new address and a notice with no link to the current one, and changes nothing yet', async () => {
    const user = await signUp(server);
    const newEmail = uniqueEmail('moved');

    const response = await changeEmail(user, newEmail);

    expect(response.errors).toBeUndefined();
    expect(response.data?.changeEmail).toBe(true);
    const [confirmation] = await mailTo(newEmail);
    expect(confirmation!.text).toMatch(new RegExp(`^http://localhost:${server.config.port}/confirm-email-change\\?token=ghe_`, 'm'));
    const notices = await mailTo(user.email, 2);
    const notice = notices.at(-1)!;
    expect(notice.subject).toMatch(/being changed/);
    for (const body of [notice.text, notice.html]) {
      expect(body).not.toMatch(/https?:\/\/|token=|gh[a-z]_/);
      // The current address may be a mistyped one, a stranger's: it learns nothing of where the account goes.
      expect(body).not.toContain(newEmail);
    }
    expect((await userRow(server, user.userId)).email).toBe(user.email);
  });

  it('stores the link only as a hash, of its own purpose, for the new address', async () => {
    const user = await signUp(server);
    const newEmail = uniqueEmail('hashed');

    const token = await requestedChangeToken(user, newEmail);

    const rows = await server.prisma.emailToken.findMany({ where: { userId: user.userId, purpose: 'CHANGE_EMAIL' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: newEmail, consumedAt: null });
    expect(rows[0]!.secretHash).not.toContain(token.split('.')[1]);
  });

  it('normalizes the new address as sign-up does', async () => {
    const user = await signUp(server);
    const newEmail = uniqueEmail('mixedcase');

    await changeEmail(user, `  ${newEmail.toUpperCase()} `);

    expect(await mailedToken(server, newEmail, 'confirm-email-change')).toMatch(/^ghe_/);
  });

  it('answers a wrong current password with INVALID_CREDENTIALS, counts it like a login, and mails nothing', async () => {
    const user = await signUp(server);
    const newEmail = uniqueEmail('guessed');
    const mailedToUserBefore = (await outboxMessagesTo(server, user.email)).length;

    const response = await changeEmail(user, newEmail, strongPassword());

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    const failures = await server.prisma.authEvent.findMany({ where: { userId: user.userId, type: 'LOGIN_FAILED' } });
    expect(failures).toEqual([expect.objectContaining({ reason: 'WRONG_CURRENT_PASSWORD', details: { during: 'CHANGE_EMAIL' } })]);
    await sleep(200);
    expect(await outboxMessagesTo(server, newEmail)).toEqual([]);
    expect(await outboxMessagesTo(server, user.email)).toHaveLength(mailedToUserBefore);
  });

  it('answers true for an address another user has, mails its owner a notice with no link, and issues no link', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    const mailedToOtherBefore = (await outboxMessagesTo(server, other.email)).length;

    const response = await changeEmail(user, other.email);

    expect(response.errors).toBeUndefined();
    expect(response.data?.changeEmail).toBe(true);
    const notice = (await mailTo(other.email, mailedToOtherBefore + 1)).at(-1)!;
    expect(notice.text).not.toMatch(/https?:\/\/|token=/);
    expect(notice.text).not.toContain(user.email);
    // The asker's side looks the same as for a free address: their current address gets the same notice.
    expect((await mailTo(user.email, 2)).at(-1)!.subject).toMatch(/being changed/);
    expect(await server.prisma.emailToken.count({ where: { userId: user.userId, purpose: 'CHANGE_EMAIL' } })).toBe(0);
  });

  it('withdraws an earlier link when the next request names a taken address, as it would for a free one', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    const earlier = await requestedChangeToken(user, uniqueEmail('mine'));

    await changeEmail(user, other.email);
    await mailTo(user.email, 3);

    // A live earlier link would tell the asker that the second address was taken.
    expect(reasonIn(await confirm(earlier))).toBe('INVALID_TOKEN');
  });

  it('refuses the address the user already has with BAD_USER_INPUT on newEmail', async () => {
    const user = await signUp(server);

    const response = await changeEmail(user, user.email);

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newEmail' });
  });

  it('refuses a malformed address with BAD_USER_INPUT on newEmail before the password is tried', async () => {
    const user = await signUp(server);

    const response = await changeEmail(user, 'not an address', strongPassword());

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newEmail' });
    expect(await server.prisma.authEvent.count({ where: { userId: user.userId, type: 'LOGIN_FAILED' } })).toBe(0);
  });

  it('needs a signed-in user', async () => {
    const response = await server.graphql(CHANGE_EMAIL, { input: { newEmail: uniqueEmail(), currentPassword: strongPassword() } });

    expect(codeIn(response)).toBe('UNAUTHENTICATED');
  });

  it('records EMAIL_CHANGE_REQUESTED with no address and no password', async () => {
    const user = await signUp(server);
    const newEmail = uniqueEmail('audited');

    await changeEmail(user, newEmail);

    const events = await server.prisma.authEvent.findMany({ where: { userId: user.userId, type: 'EMAIL_CHANGE_REQUESTED' } });
    expect(events).toHaveLength(1);
    const stored = JSON.stringify(events);
    for (const secret of [newEmail, user.email, user.password]) expect(stored).not.toContain(secret);
  });
});

describe('confirmEmailChange', () => {
  it('switches to the new address, verified, with the link alone, and the user logs in with it', async () => {
    const user = await signUp(server);
    const newEmail = uniqueEmail('confirmed');
    const token = await requestedChangeToken(user, newEmail);

    const response = await confirm(token);

    expect(response.errors).toBeUndefined();
    expect(response.data?.confirmEmailChange).toEqual({ id: user.userId, email: newEmail, emailVerified: true });
    expect((await userRow(server, user.userId)).email).toBe(newEmail);
    expect((await attemptLogin(server, { email: newEmail, password: user.password })).errors).toBeUndefined();
    expect(reasonIn(await attemptLogin(server, { email: user.email, password: user.password }))).toBe('INVALID_CREDENTIALS');
  });

  it('ends every session of the user, the one that asked included: access and refresh tokens are refused at once', async () => {
    const user = await signUp(server);
    const elsewhere = await loginFrom(server, user, { userAgent: 'second device' });
    const token = await requestedChangeToken(user, uniqueEmail('revoking'));

    await confirm(token);

    expectAccessTokenRefused(await presentToMe(server, user.accessToken), 'SESSION_REVOKED');
    expectAccessTokenRefused(await presentToMe(server, elsewhere.accessToken), 'SESSION_REVOKED');
    expect(codeIn(await presentRefreshToken(server, user.refreshToken))).toBe('UNAUTHENTICATED');
    const sessions = await server.prisma.session.findMany({ where: { userId: user.userId } });
    expect(sessions.map((session) => session.revokedReason)).toEqual(sessions.map(() => 'EMAIL_CHANGED'));
  });

  it('makes a password-reset link mailed to the old address worthless', async () => {
    const user = await signUp(server);
    const resetToken = await requestResetToken(server, user.email);
    const token = await requestedChangeToken(user, uniqueEmail('reset-burned'));

    await confirm(token);

    const reset = await server.graphql(RESET_PASSWORD, { token: resetToken, newPassword: strongPassword() });
    expect(reasonIn(reset)).toBe('INVALID_TOKEN');
  });

  it('lets an unverified user put a mistyped address right: the new one is verified and they own their account', async () => {
    const user = await signUp(server, { unverified: true });
    const newEmail = uniqueEmail('typo-fixed');
    const token = await requestedChangeToken(user, newEmail);

    const response = await confirm(token);

    expect(response.data?.confirmEmailChange.emailVerified).toBe(true);
    expect((await userRow(server, user.userId)).emailVerifiedAt).not.toBeNull();
    expect(await roleIn(server, user.userId, user.accountId)).toBe('owner');
  });

  it('records EMAIL_CHANGED without either address', async () => {
    const user = await signUp(server);
    const newEmail = uniqueEmail('audit-changed');

    await confirm(await requestedChangeToken(user, newEmail));

    const events = await server.prisma.authEvent.findMany({ where: { userId: user.userId, type: 'EMAIL_CHANGED' } });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toMatch(new RegExp(`${user.email}|${newEmail}`.replaceAll('.', '\\.')));
  });

  it('works once: a second use is refused as INVALID_TOKEN', async () => {
    const user = await signUp(server);
    const token = await requestedChangeToken(user, uniqueEmail('twice'));
    await confirm(token);

    expect(extensionsOf(await confirm(token))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
  });

  it('refuses a link older than its lifetime as TOKEN_EXPIRED and keeps the address', async () => {
    const user = await signUp(server);
    const token = await requestedChangeToken(user, uniqueEmail('late'));
    server.clock.advance(DAY_SECONDS + 1);
    try {
      expect(reasonIn(await confirm(token))).toBe('TOKEN_EXPIRED');
    } finally {
      server.clock.advance(-(DAY_SECONDS + 1));
    }
    expect((await userRow(server, user.userId)).email).toBe(user.email);
  });

  it('refuses a verification link, an altered link and an email-change link at verifyEmail: each token serves its own purpose', async () => {
    const user = await signUp(server, { unverified: true });
    const verifyToken = await mailedToken(server, user.email, 'verify-email');
    const changeToken = await requestedChangeToken(user, uniqueEmail('purpose'));
    const altered = `${changeToken.slice(0, -4)}AAAA`;

    expect(reasonIn(await confirm(verifyToken))).toBe('INVALID_TOKEN');
    expect(reasonIn(await confirm(altered))).toBe('INVALID_TOKEN');
    expect(reasonIn(await server.graphql(VERIFY_EMAIL, { token: changeToken }))).toBe('INVALID_TOKEN');
    expect((await userRow(server, user.userId)).email).toBe(user.email);
    // Refused attempts spent nothing: the real link still works.
    expect((await confirm(changeToken)).errors).toBeUndefined();
  });

  it('changes the user the link was issued to, never the signed-in user presenting someone else’s link', async () => {
    const owner = await signUp(server);
    const presenter = await signUp(server);
    const newEmail = uniqueEmail('not-yours');
    const token = await requestedChangeToken(owner, newEmail);

    const response = await confirm(token, presenter.accessToken);

    expect(response.data?.confirmEmailChange.id).toBe(owner.userId);
    expect((await userRow(server, presenter.userId)).email).toBe(presenter.email);
    expect((await userRow(server, owner.userId)).email).toBe(newEmail);
    // The presenter's own session is not the owner's: it lives on.
    expect((await presentToMe(server, presenter.accessToken)).data?.me?.email).toBe(presenter.email);
  });

  it('refuses with BAD_USER_INPUT EMAIL_TAKEN when another user took the address meanwhile, and changes nothing', async () => {
    const user = await signUp(server);
    const newEmail = uniqueEmail('taken-meanwhile');
    const token = await requestedChangeToken(user, newEmail);
    await signUp(server, { email: newEmail, unverified: true });

    const response = await confirm(token);

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'EMAIL_TAKEN', field: 'token' });
    expect((await userRow(server, user.userId)).email).toBe(user.email);
    expect((await presentToMe(server, user.accessToken)).data?.me?.email).toBe(user.email);
    expect(await server.prisma.authEvent.count({ where: { userId: user.userId, type: 'EMAIL_CHANGED' } })).toBe(0);
  });

  it('lets exactly one of two users confirming the same address at once have it', async () => {
    const newEmail = uniqueEmail('contested');
    const first = await signUp(server);
    const second = await signUp(server);
    const firstToken = await requestedChangeToken(first, newEmail);
    const secondResponse = await changeEmail(second, newEmail);
    expect(secondResponse.errors).toBeUndefined();
    await mailTo(newEmail, 2);
    const secondToken = await mailedToken(server, newEmail, 'confirm-email-change');
    expect(secondToken).not.toBe(firstToken);

    const responses = await Promise.all([confirm(firstToken), confirm(secondToken)]);

    expect(responses.filter((response) => response.errors === undefined)).toHaveLength(1);
    expect(responses.map(reasonIn).filter(Boolean)).toEqual(['EMAIL_TAKEN']);
    expect(await server.prisma.user.count({ where: { email: newEmail } })).toBe(1);
  });

  it('lets exactly one of a confirmation and a sign-up with the same address, sent at once, have it', async () => {
    for (let round = 0; round < 3; round++) {
      const user = await signUp(server);
      const newEmail = uniqueEmail('race');
      const token = await requestedChangeToken(user, newEmail);

      const [confirmed, signedUp] = await Promise.all([
        confirm(token),
        server.graphql(SIGN_UP, { input: { email: newEmail, password: strongPassword() } }),
      ]);

      const winners = [confirmed, signedUp].filter((response) => response.errors === undefined);
      expect(winners).toHaveLength(1);
      expect([confirmed, signedUp].map(reasonIn).filter(Boolean)).toEqual(['EMAIL_TAKEN']);
      expect([confirmed, signedUp].every((response) => response.status < 500)).toBe(true);
      const holders = await server.prisma.user.findMany({ where: { email: newEmail } });
      expect(holders).toHaveLength(1);
      expect(holders[0]!.id === user.userId).toBe(confirmed.errors === undefined);
    }
  });

  it('still lets the user log in with the old address after a refused confirmation', async () => {
    const user = await signUp(server);
    const newEmail = uniqueEmail('refused');
    const token = await requestedChangeToken(user, newEmail);
    await signUp(server, { email: newEmail, unverified: true });
    await confirm(token);

    const login = await server.graphql(LOGIN, { input: { email: user.email, password: user.password } });

    expect(login.errors).toBeUndefined();
    expect((await presentToMe(server, user.accessToken)).data?.me).toEqual({ id: user.userId, email: user.email });
  });
});

describe('changeEmail mail limits', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ EMAIL_SEND_MAX: '2' });
  });
  afterAll(() => limited.close());

  it('refuses a third request for the same new address in the window with RATE_LIMITED', async () => {
    const newEmail = uniqueEmail('limited');
    const user = await signUp(limited);
    const request = () => limited.graphql(CHANGE_EMAIL, { input: { newEmail, currentPassword: user.password } }, { token: user.accessToken });
    expect((await request()).errors).toBeUndefined();
    expect((await request()).errors).toBeUndefined();

    const refused = await request();

    expect(extensionsOf(refused)).toMatchObject({ reason: 'RATE_LIMITED' });
  });
});
