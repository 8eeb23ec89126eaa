import { DISABLE_TOTP, SELECT_ACCOUNT, SET_TWO_FACTOR_REQUIREMENT, SWITCH_ACCOUNT } from '../support/documents';
import { loginTo, memberOfTwoAccounts } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { presentRefreshToken } from '../support/presenting-tokens';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { logInWithPassword, nextTotpCode, startTwoFactorLogin, turnOnTwoFactor, verifyTwoFactor } from '../support/two-factor';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const setRequirement = (user: { accessToken: string }, accountId: string, required: boolean) =>
  server.graphql(SET_TWO_FACTOR_REQUIREMENT, { accountId, required }, { token: user.accessToken });

/** The owner turns 2FA on for themself, then requires it in their account. */
async function requireTwoFactorIn(owner: SignedUpUser): Promise<void> {
  await turnOnTwoFactor(server, owner);
  const response = await setRequirement(owner, owner.accountId, true);
  if (response.errors) throw new Error(`setTwoFactorRequirement failed: ${JSON.stringify(response.errors)}`);
}

const ACCOUNT = typedDocument<{ account: { requireTwoFactor: boolean } | null }>(`query Account($id: ID!) { account(id: $id) { requireTwoFactor } }`);

const isRequired = async (accountId: string) => (await server.prisma.account.findUniqueOrThrow({ where: { id: accountId } })).requireTwoFactor;

describe('setTwoFactorRequirement', () => {
  it('refuses an owner who does not have 2FA on with FORBIDDEN TWO_FACTOR_REQUIRED: they would lock themselves out', async () => {
    const { owner } = await memberOfTwoAccounts(server);

    const response = await setRequirement(owner, owner.accountId, true);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TWO_FACTOR_REQUIRED' });
    expect(await isRequired(owner.accountId)).toBe(false);
  });

  it('lets an owner with 2FA turn it on and off, shows it on the account and records each change', async () => {
    const { owner } = await memberOfTwoAccounts(server);
    await turnOnTwoFactor(server, owner);

    const on = await setRequirement(owner, owner.accountId, true);
    const read = await server.graphql(ACCOUNT, { id: owner.accountId }, { token: owner.accessToken });
    const off = await setRequirement(owner, owner.accountId, false);

    expect(on.errors).toBeUndefined();
    expect(on.data!.setTwoFactorRequirement).toEqual({ id: owner.accountId, requireTwoFactor: true });
    expect(read.data!.account!.requireTwoFactor).toBe(true);
    expect(off.data!.setTwoFactorRequirement.requireTwoFactor).toBe(false);
    const events = await server.prisma.authEvent.findMany({
      where: { accountId: owner.accountId, type: 'TWO_FACTOR_REQUIREMENT_CHANGED' },
      orderBy: { createdAt: 'asc' },
    });
    expect(events.map((event) => [event.userId, event.details])).toEqual([
      [owner.userId, { required: true }],
      [owner.userId, { required: false }],
    ]);
  });

  it('refuses an admin with FORBIDDEN MISSING_PERMISSION', async () => {
    const { owner, member: admin } = await memberOfTwoAccounts(server, 'admin');
    const session = await loginTo(server, admin, owner.accountId);

    const response = await setRequirement(session, owner.accountId, true);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_PERMISSION' });
    expect(await isRequired(owner.accountId)).toBe(false);
  });

  it("refuses an owner acting on an account other than their session's", async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'owner');
    await turnOnTwoFactor(server, member);

    // member's session is in their own account; they own the shared one too, but must switch there first.
    const response = await setRequirement(member, owner.accountId, true);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_PERMISSION', field: 'accountId' });
  });

  it('refuses anonymous callers', async () => {
    const { owner } = await memberOfTwoAccounts(server);

    const response = await server.graphql(SET_TWO_FACTOR_REQUIREMENT, { accountId: owner.accountId, required: true });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('an account that requires 2FA', () => {
  it('refuses its admin without 2FA at login with FORBIDDEN TWO_FACTOR_REQUIRED, starting no session there', async () => {
    const { owner, member: admin } = await memberOfTwoAccounts(server, 'admin');
    await requireTwoFactorIn(owner);
    const sessionsThere = () => server.prisma.session.count({ where: { userId: admin.userId, accountId: owner.accountId } });
    const before = await sessionsThere();

    const response = await logInWithPassword(server, admin, owner.accountId);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TWO_FACTOR_REQUIRED' });
    expect(await sessionsThere()).toBe(before);
  });

  it('refuses an owner without 2FA the same way', async () => {
    const { owner, member: coOwner } = await memberOfTwoAccounts(server, 'owner');
    await requireTwoFactorIn(owner);

    const response = await logInWithPassword(server, coOwner, owner.accountId);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TWO_FACTOR_REQUIRED' });
  });

  it('still admits a plain member without 2FA', async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'member');
    await requireTwoFactorIn(owner);

    const response = await logInWithPassword(server, member, owner.accountId);

    expect(response.errors).toBeUndefined();
    expect(response.data!.login).toMatchObject({ __typename: 'AuthPayload', role: 'member', account: { id: owner.accountId } });
  });

  it('refuses selectAccount into it for an admin without 2FA, leaving their other account open with the same token', async () => {
    const { owner, member: admin } = await memberOfTwoAccounts(server, 'admin');
    await requireTwoFactorIn(owner);
    const login = await logInWithPassword(server, admin);
    const selectionToken = login.data!.login.selectionToken!;

    const refused = await server.graphql(SELECT_ACCOUNT, { input: { selectionToken, accountId: owner.accountId } });
    const ownAccount = await server.graphql(SELECT_ACCOUNT, { input: { selectionToken, accountId: admin.accountId } });

    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TWO_FACTOR_REQUIRED' });
    expect(ownAccount.data!.selectAccount).toMatchObject({ __typename: 'AuthPayload', account: { id: admin.accountId } });
  });

  it('refuses switchAccount into it for an admin without 2FA, keeping their current session', async () => {
    const { owner, member: admin } = await memberOfTwoAccounts(server, 'admin');
    await requireTwoFactorIn(owner);

    const response = await server.graphql(SWITCH_ACCOUNT, { accountId: owner.accountId }, { token: admin.accessToken });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TWO_FACTOR_REQUIRED' });
    expect(await presentRefreshToken(server, admin.refreshToken).then((refreshed) => refreshed.errors)).toBeUndefined();
  });

  it('refuses to refresh a session its admin opened before the requirement', async () => {
    const { owner, member: admin } = await memberOfTwoAccounts(server, 'admin');
    const session = await loginTo(server, admin, owner.accountId);
    await requireTwoFactorIn(owner);

    const response = await presentRefreshToken(server, session.refreshToken);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TWO_FACTOR_REQUIRED' });
  });

  it('stops the access token of an admin without 2FA on the next request after the requirement, not at its expiry', async () => {
    const { owner, member: admin } = await memberOfTwoAccounts(server, 'admin');
    const session = await loginTo(server, admin, owner.accountId);
    expect((await server.graphql(ACCOUNT, { id: owner.accountId }, { token: session.accessToken })).errors).toBeUndefined();
    await requireTwoFactorIn(owner);

    const response = await server.graphql(ACCOUNT, { id: owner.accountId }, { token: session.accessToken });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TWO_FACTOR_REQUIRED' });
    expect((await server.graphql(`{ me { id } }`, {}, { token: admin.accessToken })).data).toEqual({ me: { id: admin.userId } });
  });

  it('refuses to promote a member without 2FA to admin there, saying so to the one promoting', async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'member');
    await requireTwoFactorIn(owner);

    const response = await server.graphql(
      `mutation($input: SetMemberRoleInput!) { setMemberRole(input: $input) { role } }`,
      { input: { accountId: owner.accountId, userId: member.userId, role: 'admin' } },
      { token: owner.accessToken },
    );

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TWO_FACTOR_REQUIRED' });
    const membership = await server.prisma.membership.findUniqueOrThrow({ where: { userId_accountId: { userId: member.userId, accountId: owner.accountId } } });
    expect(membership.roleName).toBe('member');
  });

  it('admits an admin with 2FA through verifyTwoFactor, and their sessions refresh', async () => {
    const { owner, member: admin } = await memberOfTwoAccounts(server, 'admin');
    await requireTwoFactorIn(owner);
    const { secret } = await turnOnTwoFactor(server, admin);
    const challengeToken = await startTwoFactorLogin(server, admin, owner.accountId);

    const response = await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret));

    expect(response.errors).toBeUndefined();
    const payload = response.data!.verifyTwoFactor;
    expect(payload).toMatchObject({ __typename: 'AuthPayload', role: 'admin', account: { id: owner.accountId } });
    expect((await presentRefreshToken(server, payload.refreshToken!)).errors).toBeUndefined();
  });

  it('keeps its owners and admins from turning 2FA off: FORBIDDEN TWO_FACTOR_REQUIRED', async () => {
    const { owner } = await memberOfTwoAccounts(server);
    await turnOnTwoFactor(server, owner);
    await setRequirement(owner, owner.accountId, true);

    const response = await server.graphql(DISABLE_TOTP, { code: '000000' }, { token: owner.accessToken });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TWO_FACTOR_REQUIRED' });
    expect((await server.prisma.user.findUniqueOrThrow({ where: { id: owner.userId } })).totpEnabledAt).not.toBeNull();
  });
});
