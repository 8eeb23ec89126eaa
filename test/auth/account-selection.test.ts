import { LOGIN, ME, SWITCH_ACCOUNT } from '../support/documents';
import type { AccountSelectionRequired } from '../support/documents';
import { memberOfTwoAccounts, selectAccount, signUp, startAccountSelection } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { sessionCount } from '../support/rows';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const LOGIN_ACCOUNTS = typedDocument<{ loginAccounts: AccountSelectionRequired }>(`query LoginAccounts($selectionToken: String!) {
  loginAccounts(selectionToken: $selectionToken) { selectionToken expiresAt lastAccountId accounts { id name role } }
}`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('login with several accounts', () => {
  it('asks a user in two accounts to choose, listing both with their roles and the last one used', async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'admin');
    const sessionsBefore = await sessionCount(server, member.userId);

    const response = await server.graphql(LOGIN, { input: { email: member.email, password: member.password } });

    expect(response.errors).toBeUndefined();
    const choice = response.data!.login;
    // Accepting the invitation entered the shared account: it is the one last used.
    expect(choice).toMatchObject({ __typename: 'AccountSelectionRequired', lastAccountId: owner.accountId });
    expect(choice.selectionToken).toMatch(/^ghs_/);
    expect(choice.accounts).toHaveLength(2);
    expect(choice.accounts).toEqual(
      expect.arrayContaining([
        { id: member.accountId, name: 'Own Studio', role: 'owner' },
        { id: owner.accountId, name: 'Shared Workshop', role: 'admin' },
      ]),
    );
    expect(await sessionCount(server, member.userId)).toBe(sessionsBefore);
  });

  it('reports the account most recently logged into as lastAccountId', async () => {
    const { member } = await memberOfTwoAccounts(server);
    await server.graphql(LOGIN, { input: { email: member.email, password: member.password, accountId: member.accountId } });

    const response = await server.graphql(LOGIN, { input: { email: member.email, password: member.password } });

    expect(response.data!.login).toMatchObject({ __typename: 'AccountSelectionRequired', lastAccountId: member.accountId });
  });

  it('lists the accounts of a pending selection again through loginAccounts', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const selectionToken = await startAccountSelection(server, member);

    const response = await server.graphql(LOGIN_ACCOUNTS, { selectionToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.loginAccounts.lastAccountId).toBe(owner.accountId);
    expect(response.data!.loginAccounts.accounts).toEqual(
      expect.arrayContaining([
        { id: member.accountId, name: 'Own Studio', role: 'owner' },
        { id: owner.accountId, name: 'Shared Workshop', role: 'member' },
      ]),
    );
  });

  it('completes the login into the chosen account with the role held there', async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'guest');
    const selectionToken = await startAccountSelection(server, member);
    const sessionsBefore = await sessionCount(server, member.userId, owner.accountId);

    const response = await selectAccount(server, selectionToken, owner.accountId);

    expect(response.errors).toBeUndefined();
    expect(response.data!.selectAccount).toMatchObject({ role: 'guest', user: { id: member.userId }, account: { id: owner.accountId } });
    const me = await server.graphql(ME, {}, { token: response.data!.selectAccount.accessToken });
    expect(me.data!.me).toEqual({ id: member.userId, email: member.email });
    expect(await sessionCount(server, member.userId, owner.accountId)).toBe(sessionsBefore + 1);
  });

  it('spends the selection token: a second selectAccount with it is UNAUTHENTICATED', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const selectionToken = await startAccountSelection(server, member);
    const sessionsBefore = await sessionCount(server, member.userId);
    await selectAccount(server, selectionToken, owner.accountId);

    const again = await selectAccount(server, selectionToken, member.accountId);

    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await sessionCount(server, member.userId)).toBe(sessionsBefore + 1);
  });

  it('lets only one of two concurrent selectAccount calls with the same token through', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const selectionToken = await startAccountSelection(server, member);
    const sessionsBefore = await sessionCount(server, member.userId);

    const results = await Promise.all([selectAccount(server, selectionToken, owner.accountId), selectAccount(server, selectionToken, member.accountId)]);

    const codes = results.map((result) => result.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['OK', 'UNAUTHENTICATED']);
    expect(await sessionCount(server, member.userId)).toBe(sessionsBefore + 1);
  });

  it('refuses an account the user is not in with FORBIDDEN NOT_A_MEMBER without spending the token', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const stranger = await signUp(server);
    const selectionToken = await startAccountSelection(server, member);

    const wrongPick = await selectAccount(server, selectionToken, stranger.accountId);
    const rightPick = await selectAccount(server, selectionToken, owner.accountId);

    expect(wrongPick.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_MEMBER' });
    expect(rightPick.errors).toBeUndefined();
    expect(rightPick.data!.selectAccount.account!.id).toBe(owner.accountId);
  });

  it('refuses an expired selection token with TOKEN_EXPIRED', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const selectionToken = await startAccountSelection(server, member);
    const sessionsBefore = await sessionCount(server, member.userId, owner.accountId);
    server.clock.advance(server.config.tokens.selectionTokenTtlSeconds + 1);

    const listed = await server.graphql(LOGIN_ACCOUNTS, { selectionToken });
    const selected = await selectAccount(server, selectionToken, owner.accountId);

    expect(listed.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    expect(selected.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    expect(await sessionCount(server, member.userId, owner.accountId)).toBe(sessionsBefore);
  });

  it.each([
    ['a refresh token', (user: SignedUpUser) => user.refreshToken],
    ['an access token', (user: SignedUpUser) => user.accessToken],
    ["a refresh token's id and secret under the selection prefix", (user: SignedUpUser) => user.refreshToken.replace(/^ghr_/, 'ghs_')],
  ])('refuses %s as a selection token', async (_case, tokenOf) => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const sessionsBefore = await sessionCount(server, member.userId, owner.accountId);

    const listed = await server.graphql(LOGIN_ACCOUNTS, { selectionToken: tokenOf(member) });
    const selected = await selectAccount(server, tokenOf(member), owner.accountId);

    expect(listed.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(selected.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await sessionCount(server, member.userId, owner.accountId)).toBe(sessionsBefore);
  });
});

describe('switchAccount', () => {
  it('moves a signed-in user to their other account and ends the session they came from', async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'admin');

    const response = await server.graphql(SWITCH_ACCOUNT, { accountId: owner.accountId }, { token: member.accessToken });

    expect(response.errors).toBeUndefined();
    const payload = response.data!.switchAccount;
    expect(payload).toMatchObject({ role: 'admin', user: { id: member.userId }, account: { id: owner.accountId } });
    const meWithOld = await server.graphql(ME, {}, { token: member.accessToken });
    expect(meWithOld.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    const meWithNew = await server.graphql(ME, {}, { token: payload.accessToken });
    expect(meWithNew.data!.me).toEqual({ id: member.userId, email: member.email });
  });

  it('refuses to switch into an account the user is not in with FORBIDDEN and keeps the session', async () => {
    const user = await signUp(server);
    const stranger = await signUp(server);

    const response = await server.graphql(SWITCH_ACCOUNT, { accountId: stranger.accountId }, { token: user.accessToken });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_MEMBER' });
    const me = await server.graphql(ME, {}, { token: user.accessToken });
    expect(me.data!.me).toEqual({ id: user.userId, email: user.email });
  });
});
