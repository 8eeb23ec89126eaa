import { LOGIN, mailedToken, memberOfTwoAccounts, outboxMessagesTo, signUp, strongPassword } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { DISABLE_TOTP, LOGIN_WITH_TWO_FACTOR, SELECT_ACCOUNT, nextTotpCode, startTwoFactorLogin, turnOnTwoFactor, verifyTwoFactor } from '../support/two-factor';

// A credential change (password reset or change, 2FA on or off) ends everything the old credentials
// proved and that is still outstanding: selection tokens, second-factor challenges, mailed links, and
// the user's other sessions. Each is something an attacker holding the old password may have in hand.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const CHANGE_PASSWORD = `mutation Change($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) }`;
const RESET = `mutation Reset($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }`;
const REQUEST_RESET = `mutation RequestReset($email: String!) { requestPasswordReset(email: $email) }`;
const VERIFY_EMAIL = `mutation Verify($token: String!) { verifyEmail(token: $token) { id } }`;
const ME = `{ me { id } }`;

/** A selection token from a password login of a user in two accounts: what an attacker with the old password holds. */
async function pendingSelection(user: SignedUpUser): Promise<string> {
  const response = await server.graphql(LOGIN, { input: { email: user.email, password: user.password } });
  expect(response.data!.login.__typename).toBe('AccountSelectionRequired');
  return response.data!.login.selectionToken;
}

const select = (selectionToken: string, accountId: string) => server.graphql(SELECT_ACCOUNT, { input: { selectionToken, accountId } });

async function resetLink(user: SignedUpUser): Promise<string> {
  const before = (await outboxMessagesTo(server, user.email)).length;
  await server.graphql(REQUEST_RESET, { email: user.email });
  for (let attempt = 0; attempt < 50 && (await outboxMessagesTo(server, user.email)).length === before; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return mailedToken(server, user.email, 'reset-password');
}

const isRefusedToken = (response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  response.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' && response.errors?.[0]?.extensions?.reason === 'INVALID_TOKEN';

describe('a password reset', () => {
  it('voids a selection token issued on the old password: it opens no session', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const selectionToken = await pendingSelection(member);

    await server.graphql(RESET, { token: await resetLink(member), newPassword: strongPassword() });
    const selected = await select(selectionToken, owner.accountId);

    expect(isRefusedToken(selected)).toBe(true);
    expect(await server.prisma.session.count({ where: { userId: member.userId, revokedAt: null } })).toBe(0);
  });

  it('voids a second-factor challenge opened with the old password', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);

    await server.graphql(RESET, { token: await resetLink(user), newPassword: strongPassword() });
    const passed = await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret));

    expect(isRefusedToken(passed)).toBe(true);
    expect(await server.prisma.session.count({ where: { userId: user.userId, revokedAt: null } })).toBe(0);
  });

  it('voids every other mailed link of the user, such as an unused verification link', async () => {
    const user = await signUp(server, { unverified: true });
    const verificationToken = await mailedToken(server, user.email, 'verify-email');

    await server.graphql(RESET, { token: await resetLink(user), newPassword: strongPassword() });

    expect(isRefusedToken(await server.graphql(VERIFY_EMAIL, { token: verificationToken }))).toBe(true);
  });

  it('keeps a second factor that is on: the mailbox alone must not be enough to take the account', async () => {
    const user = await signUp(server);
    await turnOnTwoFactor(server, user);
    const newPassword = strongPassword();

    await server.graphql(RESET, { token: await resetLink(user), newPassword });
    const login = await server.graphql(LOGIN_WITH_TWO_FACTOR, { input: { email: user.email, password: newPassword } });

    expect(login.data!.login.__typename).toBe('TwoFactorRequired');
  });
});

describe('a password change', () => {
  it('voids selection tokens and challenges issued on the old password', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const selectionToken = await pendingSelection(member);

    const changed = await server.graphql(CHANGE_PASSWORD, { currentPassword: member.password, newPassword: strongPassword() }, { token: member.accessToken });

    expect(changed.errors).toBeUndefined();
    expect(isRefusedToken(await select(selectionToken, owner.accountId))).toBe(true);
  });
});

describe('turning the second factor on or off', () => {
  it('on: voids pending selections and ends the other sessions, which signed in with the password alone', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const elsewhere = await server.graphql(LOGIN, { input: { email: member.email, password: member.password, accountId: member.accountId } });
    const selectionToken = await pendingSelection(member);

    await turnOnTwoFactor(server, member);

    expect(isRefusedToken(await select(selectionToken, owner.accountId))).toBe(true);
    expect((await server.graphql(ME, {}, { token: elsewhere.data!.login.accessToken })).errors?.[0]?.extensions).toMatchObject({ reason: 'SESSION_REVOKED' });
    expect((await server.graphql(ME, {}, { token: member.accessToken })).data).toEqual({ me: { id: member.userId } });
  });

  it('off: voids open challenges and ends the other sessions', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);
    const other = await verifyTwoFactor(server, await startTwoFactorLogin(server, user), await nextTotpCode(server, secret));

    const disabled = await server.graphql(DISABLE_TOTP, { code: await nextTotpCode(server, secret) }, { token: user.accessToken });

    expect(disabled.errors).toBeUndefined();
    expect(isRefusedToken(await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret)))).toBe(true);
    expect((await server.graphql(ME, {}, { token: other.data!.verifyTwoFactor.accessToken })).errors?.[0]?.extensions).toMatchObject({ reason: 'SESSION_REVOKED' });
    expect((await server.graphql(ME, {}, { token: user.accessToken })).data).toEqual({ me: { id: user.userId } });
  });
});
