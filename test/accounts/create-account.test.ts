import { CREATE_ACCOUNT, DELETE_ACCOUNT, isTokenAccepted } from '../support/account-lifecycle';
import { LOGIN, REFRESH, VERIFY_TWO_FACTOR } from '../support/documents';
import { attemptLogin, loginFrom, memberOfTwoAccounts, signUp, startAccountSelection } from '../support/factories';
import { codeIn, reasonIn } from '../support/graphql-errors';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { nextTotpCode, startTwoFactorLogin, turnOnTwoFactor } from '../support/two-factor';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ MAX_OWNED_ACCOUNTS_PER_USER: '3' });
});
afterAll(() => server.close());

describe('createAccount', () => {
  it('creates an account the caller owns and answers tokens scoped to it, ending the old session as switchAccount does', async () => {
    const user = await signUp(server);
    const response = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Second Studio' } }, { token: user.accessToken });
    expect(response.errors).toBeUndefined();
    const payload = response.data!.createAccount;
    expect(payload).toMatchObject({ role: 'owner', account: { name: 'Second Studio' }, user: { id: user.userId } });
    expect(payload.account.id).not.toBe(user.accountId);
    expect(payload.access).toEqual(expect.arrayContaining([{ feature: 'account', access: 'crud' }]));

    const membership = await server.prisma.membership.findUniqueOrThrow({ where: { userId_accountId: { userId: user.userId, accountId: payload.account.id } } });
    expect(membership.roleName).toBe('owner');
    // The old session ended with the switch's reason; its access and refresh tokens are refused.
    const old = await server.prisma.session.findFirstOrThrow({ where: { userId: user.userId, accountId: user.accountId } });
    expect(old.revokedReason).toBe('SWITCHED_ACCOUNT');
    expect(await isTokenAccepted(server, user.accessToken)).toBe(false);
    expect(codeIn(await server.graphql(REFRESH, { input: { refreshToken: user.refreshToken } }))).toBe('UNAUTHENTICATED');
    expect(await isTokenAccepted(server, payload.accessToken)).toBe(true);
    expect(await server.prisma.authEvent.count({ where: { type: 'ACCOUNT_CREATED', userId: user.userId, accountId: payload.account.id } })).toBe(1);
  });

  it('refuses a user whose email is not verified, saying why', async () => {
    const guest = await signUp(server, { unverified: true });
    const response = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Nope' } }, { token: guest.accessToken });
    expect(codeIn(response)).toBe('FORBIDDEN');
    expect(reasonIn(response)).toBe('EMAIL_NOT_VERIFIED');
    expect(await server.prisma.membership.count({ where: { userId: guest.userId } })).toBe(1);
  });

  it('refuses an anonymous caller and a bad name with clear codes', async () => {
    expect(codeIn(await server.graphql(CREATE_ACCOUNT, { input: { name: 'Anonymous' } }))).toBe('UNAUTHENTICATED');
    const user = await signUp(server);
    const blank = await server.graphql(CREATE_ACCOUNT, { input: { name: '   ' } }, { token: user.accessToken });
    expect(codeIn(blank)).toBe('BAD_USER_INPUT');
    expect(await isTokenAccepted(server, user.accessToken)).toBe(true);
  });

  it('refuses an account beyond MAX_OWNED_ACCOUNTS_PER_USER with ACCOUNT_LIMIT_REACHED', async () => {
    const user = await signUp(server);
    let token = user.accessToken;
    for (const name of ['Two', 'Three']) {
      const created = await server.graphql(CREATE_ACCOUNT, { input: { name } }, { token });
      expect(created.errors).toBeUndefined();
      token = created.data!.createAccount.accessToken;
    }
    const refused = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Four' } }, { token });
    expect(codeIn(refused)).toBe('FORBIDDEN');
    expect(reasonIn(refused)).toBe('ACCOUNT_LIMIT_REACHED');
    expect(await server.prisma.membership.count({ where: { userId: user.userId, roleName: 'owner' } })).toBe(3);
    // Refused before the session moved: the caller is still signed in where they were.
    expect(await isTokenAccepted(server, token)).toBe(true);
  });

  it('lets only one of two concurrent createAccount calls at the cap through', async () => {
    const user = await signUp(server);
    const second = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Two' } }, { token: user.accessToken });
    expect(second.errors).toBeUndefined();
    // Two sessions of the same user, each asking for the third (last allowed) account at once.
    const [first, other] = await Promise.all([
      attemptLogin(server, { email: user.email, password: user.password, accountId: user.accountId }),
      attemptLogin(server, { email: user.email, password: user.password, accountId: user.accountId }),
    ]);
    const tokens = [first.data!.login.accessToken!, other.data!.login.accessToken!];
    const results = await Promise.all(tokens.map((token, index) => server.graphql(CREATE_ACCOUNT, { input: { name: `Race ${index}` } }, { token })));
    expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
    expect(results.map(reasonIn).filter(Boolean)).toEqual(['ACCOUNT_LIMIT_REACHED']);
    expect(await server.prisma.membership.count({ where: { userId: user.userId, roleName: 'owner' } })).toBe(3);
  });
});

describe('a user whose last account is gone', () => {
  it('gets an empty account choice at login, and recovers with createAccount and its selection token', async () => {
    const user = await signUp(server, { accountName: 'Only One' });
    const deleted = await server.graphql(
      DELETE_ACCOUNT,
      { input: { accountId: user.accountId, confirmName: 'Only One', currentPassword: user.password } },
      { token: user.accessToken },
    );
    expect(deleted.errors).toBeUndefined();

    const login = await server.graphql(LOGIN, { input: { email: user.email, password: user.password } });
    expect(login.errors).toBeUndefined();
    expect(login.data!.login).toMatchObject({ __typename: 'AccountSelectionRequired', accounts: [], lastAccountId: null });
    const selectionToken = login.data!.login.selectionToken!;

    const created = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Fresh Start', selectionToken } });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createAccount).toMatchObject({ role: 'owner', account: { name: 'Fresh Start' }, user: { id: user.userId } });
    expect(await isTokenAccepted(server, created.data!.createAccount.accessToken)).toBe(true);

    // The token was spent: it cannot make a second account.
    const again = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Twice', selectionToken } });
    expect(codeIn(again)).toBe('UNAUTHENTICATED');
    expect(await server.prisma.membership.count({ where: { userId: user.userId } })).toBe(1);

    // And the next login goes straight into the new account.
    const next = await loginFrom(server, user);
    expect(next.account.name).toBe('Fresh Start');
  });

  it('cannot use a forged or missing selection token', async () => {
    const forged = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Forged', selectionToken: 'ghs_00000000-0000-4000-8000-000000000000.nope' } });
    expect(codeIn(forged)).toBe('UNAUTHENTICATED');
    const garbage = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Garbage', selectionToken: 'x' } });
    expect(codeIn(garbage)).toBe('UNAUTHENTICATED');
  });

  it('with 2FA on, gets the empty choice only after the second factor, and recovers the same way', async () => {
    const user = await signUp(server, { accountName: 'Guarded Only' });
    const { secret } = await turnOnTwoFactor(server, user);
    const deleted = await server.graphql(
      DELETE_ACCOUNT,
      { input: { accountId: user.accountId, confirmName: 'Guarded Only', currentPassword: user.password, twoFactorCode: await nextTotpCode(server, secret) } },
      { token: user.accessToken },
    );
    expect(deleted.errors).toBeUndefined();
    const challengeToken = await startTwoFactorLogin(server, user);
    const passed = await server.graphql(VERIFY_TWO_FACTOR, { challengeToken, code: await nextTotpCode(server, secret) });
    expect(passed.data!.verifyTwoFactor).toMatchObject({ __typename: 'AccountSelectionRequired', accounts: [] });
    const created = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Guarded Again', selectionToken: passed.data!.verifyTwoFactor.selectionToken } });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createAccount.role).toBe('owner');
  });

  it('refuses a selection token issued on the password alone before 2FA was turned on, as selectAccount does', async () => {
    const { member } = await memberOfTwoAccounts(server);
    const selectionToken = await startAccountSelection(server, member);
    await turnOnTwoFactor(server, member);
    const response = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Sneaky', selectionToken } });
    // Turning 2FA on voided it (sessions/credential-change.ts): the login starts again, with the second factor.
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect(await server.prisma.membership.count({ where: { userId: member.userId } })).toBe(2);
  });
});
