import { CHANGE_PASSWORD, DISABLE_TOTP, LOGIN, LOGIN_WITH_TWO_FACTOR, ME_ID, RESET_PASSWORD, VERIFY_EMAIL } from '../support/documents';
import { memberOfTwoAccounts, requestResetToken, selectAccount, signUp, startAccountSelection, strongPassword } from '../support/factories';
import type { GraphQLResponseBody } from '../support/graphql-client';
import { codeIn, reasonIn } from '../support/graphql-errors';
import { mailedToken } from '../support/outbox';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { nextTotpCode, startTwoFactorLogin, turnOnTwoFactor, verifyTwoFactor } from '../support/two-factor';

// A credential change (password reset or change, 2FA on or off) ends everything the old credentials
// proved and that is still outstanding: selection tokens, second-factor challenges, mailed links, and
// the user's other sessions. Each is something an attacker holding the old password may have in hand.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Whether the first error refuses a token (a selection token, a challenge, a mailed link) as invalid. */
const isRefusedToken = (response: GraphQLResponseBody<unknown>) => codeIn(response) === 'UNAUTHENTICATED' && reasonIn(response) === 'INVALID_TOKEN';

describe('a password reset', () => {
  it('voids a selection token issued on the old password: it opens no session', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const selectionToken = await startAccountSelection(server, member);

    await server.graphql(RESET_PASSWORD, { token: await requestResetToken(server, member.email), newPassword: strongPassword() });
    const selected = await selectAccount(server, selectionToken, owner.accountId);

    expect(isRefusedToken(selected)).toBe(true);
    expect(await server.prisma.session.count({ where: { userId: member.userId, revokedAt: null } })).toBe(0);
  });

  it('voids a second-factor challenge opened with the old password', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);

    await server.graphql(RESET_PASSWORD, { token: await requestResetToken(server, user.email), newPassword: strongPassword() });
    const passed = await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret));

    expect(isRefusedToken(passed)).toBe(true);
    expect(await server.prisma.session.count({ where: { userId: user.userId, revokedAt: null } })).toBe(0);
  });

  it('voids every other mailed link of the user, such as an unused verification link', async () => {
    const user = await signUp(server, { unverified: true });
    const verificationToken = await mailedToken(server, user.email, 'verify-email');

    await server.graphql(RESET_PASSWORD, { token: await requestResetToken(server, user.email), newPassword: strongPassword() });

    expect(isRefusedToken(await server.graphql(VERIFY_EMAIL, { token: verificationToken }))).toBe(true);
  });

  it('keeps a second factor that is on: the mailbox alone must not be enough to take the account', async () => {
    const user = await signUp(server);
    await turnOnTwoFactor(server, user);
    const newPassword = strongPassword();

    await server.graphql(RESET_PASSWORD, { token: await requestResetToken(server, user.email), newPassword });
    const login = await server.graphql(LOGIN_WITH_TWO_FACTOR, { input: { email: user.email, password: newPassword } });

    expect(login.data!.login.__typename).toBe('TwoFactorRequired');
  });
});

describe('a password change', () => {
  it('voids selection tokens and challenges issued on the old password', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const selectionToken = await startAccountSelection(server, member);

    const changed = await server.graphql(CHANGE_PASSWORD, { currentPassword: member.password, newPassword: strongPassword() }, { token: member.accessToken });

    expect(changed.errors).toBeUndefined();
    expect(isRefusedToken(await selectAccount(server, selectionToken, owner.accountId))).toBe(true);
  });
});

describe('turning the second factor on or off', () => {
  it('on: voids pending selections and ends the other sessions, which signed in with the password alone', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const elsewhere = await server.graphql(LOGIN, { input: { email: member.email, password: member.password, accountId: member.accountId } });
    const selectionToken = await startAccountSelection(server, member);

    await turnOnTwoFactor(server, member);

    expect(isRefusedToken(await selectAccount(server, selectionToken, owner.accountId))).toBe(true);
    expect((await server.graphql(ME_ID, {}, { token: elsewhere.data!.login.accessToken })).errors?.[0]?.extensions).toMatchObject({ reason: 'SESSION_REVOKED' });
    expect((await server.graphql(ME_ID, {}, { token: member.accessToken })).data).toEqual({ me: { id: member.userId } });
  });

  it('off: voids open challenges and ends the other sessions', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);
    const other = await verifyTwoFactor(server, await startTwoFactorLogin(server, user), await nextTotpCode(server, secret));

    const disabled = await server.graphql(DISABLE_TOTP, { code: await nextTotpCode(server, secret) }, { token: user.accessToken });

    expect(disabled.errors).toBeUndefined();
    expect(isRefusedToken(await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret)))).toBe(true);
    expect((await server.graphql(ME_ID, {}, { token: other.data!.verifyTwoFactor.accessToken })).errors?.[0]?.extensions).toMatchObject({ reason: 'SESSION_REVOKED' });
    expect((await server.graphql(ME_ID, {}, { token: user.accessToken })).data).toEqual({ me: { id: user.userId } });
  });
});
