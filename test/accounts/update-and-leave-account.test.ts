import { accountWith, isTokenAccepted, LEAVE_ACCOUNT, ownersOf, UPDATE_ACCOUNT } from '../support/account-lifecycle';
import { REFRESH, SET_ROLE } from '../support/documents';
import { loginTo, signUp } from '../support/factories';
import { codeIn, reasonIn } from '../support/graphql-errors';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('updateAccount', () => {
  it('renames the account for a role with account:u and records ACCOUNT_UPDATED', async () => {
    const { owner, members } = await accountWith(server, ['admin']);
    const [admin] = members;
    const response = await server.graphql(UPDATE_ACCOUNT, { input: { accountId: owner.accountId, name: '  Renamed Team ' } }, { token: admin!.accessToken });
    expect(response.errors).toBeUndefined();
    expect(response.data!.updateAccount).toEqual({ id: owner.accountId, name: 'Renamed Team' });
    const event = await server.prisma.authEvent.findFirstOrThrow({ where: { type: 'ACCOUNT_UPDATED', accountId: owner.accountId } });
    expect(event).toMatchObject({ userId: admin!.userId, details: { from: 'Team Account', to: 'Renamed Team' } });
  });

  it('refuses a member without account:u, and a bad name', async () => {
    const { owner, members } = await accountWith(server, ['member']);
    const refused = await server.graphql(UPDATE_ACCOUNT, { input: { accountId: owner.accountId, name: 'Mine Now' } }, { token: members[0]!.accessToken });
    expect(codeIn(refused)).toBe('FORBIDDEN');
    const blank = await server.graphql(UPDATE_ACCOUNT, { input: { accountId: owner.accountId, name: '' } }, { token: owner.accessToken });
    expect(codeIn(blank)).toBe('BAD_USER_INPUT');
    expect((await server.prisma.account.findUniqueOrThrow({ where: { id: owner.accountId } })).name).toBe('Team Account');
  });

  it("refuses another account's id, even to the owner of their own", async () => {
    const victim = await signUp(server, { accountName: 'Victim Co' });
    const attacker = await signUp(server);
    const response = await server.graphql(UPDATE_ACCOUNT, { input: { accountId: victim.accountId, name: 'Pwned' } }, { token: attacker.accessToken });
    expect(codeIn(response)).toBe('FORBIDDEN');
    expect((await server.prisma.account.findUniqueOrThrow({ where: { id: victim.accountId } })).name).toBe('Victim Co');
  });

  it('refuses an admin demoted after their token was issued', async () => {
    const { owner, members } = await accountWith(server, ['admin']);
    const [admin] = members;
    // Demoted after the admin's token was issued: the token acts with the role as it stands now.
    const demoted = await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: admin!.userId, role: 'member' } }, { token: owner.accessToken });
    expect(demoted.errors).toBeUndefined();
    const response = await server.graphql(UPDATE_ACCOUNT, { input: { accountId: owner.accountId, name: 'Old Token' } }, { token: admin!.accessToken });
    expect(codeIn(response)).toBe('FORBIDDEN');
    expect(reasonIn(response)).toBe('MISSING_PERMISSION');
  });
});

describe('leaveAccount', () => {
  it('removes the member, ends their sessions there at once and records MEMBER_LEFT', async () => {
    const { owner, members } = await accountWith(server, ['member']);
    const [member] = members;
    const response = await server.graphql(LEAVE_ACCOUNT, { accountId: owner.accountId }, { token: member!.accessToken });
    expect(response).toMatchObject({ data: { leaveAccount: true } });
    expect(await server.prisma.membership.count({ where: { userId: member!.userId, accountId: owner.accountId } })).toBe(0);
    // The very next request with the old tokens is refused.
    expect(await isTokenAccepted(server, member!.accessToken)).toBe(false);
    expect(codeIn(await server.graphql(REFRESH, { input: { refreshToken: member!.refreshToken } }))).toBe('UNAUTHENTICATED');
    expect(await server.prisma.session.count({ where: { userId: member!.userId, accountId: owner.accountId, revokedAt: null } })).toBe(0);
    const event = await server.prisma.authEvent.findFirstOrThrow({ where: { type: 'MEMBER_LEFT', accountId: owner.accountId } });
    expect(event).toMatchObject({ userId: member!.userId, details: { role: 'member' } });
    // Their own account is untouched.
    expect(await server.prisma.membership.count({ where: { userId: member!.userId } })).toBe(1);
  });

  it('may be done from a session in another of their accounts, and still ends their sessions in the one left', async () => {
    const { owner, members } = await accountWith(server, ['member']);
    const [member] = members;
    const elsewhere = await loginTo(server, member!, member!.ownAccountId);
    const response = await server.graphql(LEAVE_ACCOUNT, { accountId: owner.accountId }, { token: elsewhere.accessToken });
    expect(response).toMatchObject({ data: { leaveAccount: true } });
    expect(await isTokenAccepted(server, member!.accessToken)).toBe(false);
    expect(await isTokenAccepted(server, elsewhere.accessToken)).toBe(true);
  });

  it('refuses the last owner with LAST_OWNER, and lets an owner leave while another remains', async () => {
    const { owner, members } = await accountWith(server, ['owner']);
    const [coOwner] = members;
    const first = await server.graphql(LEAVE_ACCOUNT, { accountId: owner.accountId }, { token: coOwner!.accessToken });
    expect(first.errors).toBeUndefined();
    const last = await server.graphql(LEAVE_ACCOUNT, { accountId: owner.accountId }, { token: owner.accessToken });
    expect(codeIn(last)).toBe('FORBIDDEN');
    expect(reasonIn(last)).toBe('LAST_OWNER');
    expect(await ownersOf(server, owner.accountId)).toEqual([owner.userId]);
  });

  it('never leaves an account without an owner when its two owners leave at once', async () => {
    for (let round = 0; round < 3; round++) {
      const { owner, members } = await accountWith(server, ['owner']);
      const results = await Promise.all([owner, members[0]!].map((user) => server.graphql(LEAVE_ACCOUNT, { accountId: owner.accountId }, { token: user.accessToken })));
      expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
      expect(results.map(reasonIn).filter(Boolean)).toEqual(['LAST_OWNER']);
      expect(await ownersOf(server, owner.accountId)).toHaveLength(1);
    }
  });

  it('refuses an account the caller is not in exactly as one that does not exist', async () => {
    const victim = await signUp(server);
    const outsider = await signUp(server);
    const foreign = await server.graphql(LEAVE_ACCOUNT, { accountId: victim.accountId }, { token: outsider.accessToken });
    const missing = await server.graphql(LEAVE_ACCOUNT, { accountId: '00000000-0000-4000-8000-000000000000' }, { token: outsider.accessToken });
    expect(foreign.errors?.[0]?.extensions).toEqual(missing.errors?.[0]?.extensions);
    expect(reasonIn(foreign)).toBe('NOT_A_MEMBER');
    expect(codeIn(await server.graphql(LEAVE_ACCOUNT, { accountId: 'not-an-id' }, { token: outsider.accessToken }))).toBe('BAD_USER_INPUT');
    expect(await server.prisma.membership.count({ where: { accountId: victim.accountId } })).toBe(1);
  });
});
