import { LOGIN } from '../support/documents';
import { memberOfTwoAccounts, signUp, strongPassword, uniqueEmail } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('login', () => {
  it('logs a user with one account in by email, straight into that account', async () => {
    const user = await signUp(server, { accountName: 'Difference Engines' });

    const response = await server.graphql(LOGIN, { input: { email: user.email, password: user.password } });

    expect(response.errors).toBeUndefined();
    expect(response.data!.login).toMatchObject({
      __typename: 'AuthPayload',
      tokenType: 'Bearer',
      role: 'owner',
      user: { id: user.userId, email: user.email },
      account: { id: user.accountId, name: 'Difference Engines' },
    });
    expect(await server.prisma.session.count({ where: { userId: user.userId } })).toBe(2);
  });

  it('logs in by username whatever its case', async () => {
    const user = await signUp(server, { username: 'Mary_Somerville' });

    const response = await server.graphql(LOGIN, { input: { username: 'mARY_sOMERVILLE', password: user.password } });

    expect(response.errors).toBeUndefined();
    expect(response.data!.login).toMatchObject({ __typename: 'AuthPayload', user: { id: user.userId, username: 'Mary_Somerville' } });
  });

  it.each([
    ['both email and username', (email: string) => ({ email, username: 'someone' })],
    ['neither email nor username', () => ({})],
  ])('refuses %s with BAD_USER_INPUT', async (_case, identifiers) => {
    const user = await signUp(server, { username: `both_${Date.now().toString(36)}` });

    const response = await server.graphql(LOGIN, { input: { ...identifiers(user.email), password: user.password } });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(response.data?.login ?? null).toBeNull();
  });

  it('answers an unknown email exactly as it answers a wrong password', async () => {
    const user = await signUp(server);

    const wrongPassword = await server.graphql(LOGIN, { input: { email: user.email, password: strongPassword() } });
    const unknownEmail = await server.graphql(LOGIN, { input: { email: uniqueEmail('nobody'), password: strongPassword() } });

    expect(wrongPassword.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.data).toEqual(wrongPassword.data);
    expect(unknownEmail.errors).toEqual(wrongPassword.errors);
  });

  it('logs a failed login with its reason but never the submitted password', async () => {
    const user = await signUp(server);
    const wrongPassword = `Wrong-${strongPassword()}`;
    const unknownUserPassword = `Unknown-${strongPassword()}`;

    await server.graphql(LOGIN, { input: { email: user.email, password: wrongPassword } });
    await server.graphql(LOGIN, { input: { email: uniqueEmail('ghost'), password: unknownUserPassword } });

    const failures = server.logs.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'login failed');
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: user.userId, reason: 'WRONG_PASSWORD' }),
        expect.objectContaining({ userId: null, reason: 'UNKNOWN_USER' }),
      ]),
    );
    for (const line of server.logs) {
      expect(line).not.toContain(wrongPassword);
      expect(line).not.toContain(unknownUserPassword);
      expect(line).not.toContain(user.password);
    }
  });

  it('records lastLoginAt and lastAccountId on the user', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    server.clock.advance(60);
    const before = server.clock.now();

    const response = await server.graphql(LOGIN, { input: { email: member.email, password: member.password, accountId: owner.accountId } });

    expect(response.errors).toBeUndefined();
    const row = await server.prisma.user.findUniqueOrThrow({ where: { id: member.userId } });
    expect(row.lastAccountId).toBe(owner.accountId);
    expect(row.lastLoginAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(row.lastLoginAt!.getTime()).toBeLessThanOrEqual(server.clock.now().getTime());
  });

  it('refuses a 60 kB password with BAD_USER_INPUT on the password field', async () => {
    const user = await signUp(server);

    const response = await server.graphql(LOGIN, { input: { email: user.email, password: 'a'.repeat(60_000) } });

    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
  });

  it('logs straight into the named account when accountId is one of the user’s', async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'admin');
    const sessionsThere = () => server.prisma.session.count({ where: { userId: member.userId, accountId: owner.accountId } });
    const before = await sessionsThere();

    const response = await server.graphql(LOGIN, { input: { email: member.email, password: member.password, accountId: owner.accountId } });

    expect(response.errors).toBeUndefined();
    expect(response.data!.login).toMatchObject({
      __typename: 'AuthPayload',
      role: 'admin',
      user: { id: member.userId },
      account: { id: owner.accountId, name: 'Shared Workshop' },
    });
    expect(await sessionsThere()).toBe(before + 1);
  });

  it('refuses an accountId the user is not a member of with FORBIDDEN NOT_A_MEMBER and starts no session', async () => {
    const user = await signUp(server);
    const stranger = await signUp(server);
    const sessionsBefore = await server.prisma.session.count({ where: { userId: user.userId } });

    const response = await server.graphql(LOGIN, { input: { email: user.email, password: user.password, accountId: stranger.accountId } });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_MEMBER' });
    expect(await server.prisma.session.count({ where: { userId: user.userId } })).toBe(sessionsBefore);
  });
  it('accepts the password typed in another Unicode form of the same characters (NFKC)', async () => {
    const user = await signUp(server, { password: 'ｆｕｌｌｗｉｄｔｈ ｋｅｙｓ 7359 ｔａｂ' });
    const response = await server.graphql(LOGIN, { input: { email: user.email, password: 'fullwidth keys 7359 tab' } });
    expect(response.errors).toBeUndefined();
    expect(response.data!.login.__typename).toBe('AuthPayload');
  });
});
