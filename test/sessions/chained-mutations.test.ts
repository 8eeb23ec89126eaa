import { loginTo, memberOfTwoAccounts, signUp } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { sessionIdOf } from '../support/tokens';

// A document's root mutations run one after another; each after the first acts as the viewer is now,
// not as the request began: a session ended or a role lost earlier in the same document counts. (The
// refused field is non-null, so `data` is null as a whole: what the first mutation did shows in the rows.)

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const liveSessions = (userId: string) => server.prisma.session.count({ where: { userId, revokedAt: null } });

describe('mutations chained in one document', () => {
  it('opens no session with switchAccount after logout(allSessions: true) in the same document', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);

    const response = await server.graphql(
      `mutation($accountId: ID!) { logout(input: { allSessions: true }) switchAccount(accountId: $accountId) { accessToken } }`,
      { accountId: owner.accountId },
      { token: member.accessToken },
    );

    expect(response.errors?.map((error) => error.path?.[0])).toEqual(['switchAccount']);
    expect(response.errors?.find((error) => error.path?.[0] === 'switchAccount')?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    expect(await liveSessions(member.userId)).toBe(0);
  });

  it('refuses what follows the revocation of the current session in the same document', async () => {
    const user = await signUp(server);
    const sessionId = sessionIdOf(user.accessToken);

    const response = await server.graphql(
      `mutation($id: ID!, $input: InviteMemberInput!) { revokeSession(id: $id) inviteMember(input: $input) { id } }`,
      { id: sessionId, input: { accountId: user.accountId, email: 'after.revocation@example.test', role: 'member' } },
      { token: user.accessToken },
    );

    expect(response.errors?.map((error) => error.path?.[0])).toEqual(['inviteMember']);
    expect((await server.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).revokedReason).toBe('REVOKED_BY_USER');
    expect(response.errors?.find((error) => error.path?.[0] === 'inviteMember')?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    expect(await server.prisma.invitation.count({ where: { accountId: user.accountId } })).toBe(0);
  });

  it('decides what follows a demotion in the same document on the new role', async () => {
    const { owner, member: coOwner } = await memberOfTwoAccounts(server, 'owner');
    const bystander = await signUp(server);
    const { accessToken } = await loginTo(server, coOwner, owner.accountId);

    const response = await server.graphql(
      `mutation($demote: SetMemberRoleInput!, $invite: InviteMemberInput!) { setMemberRole(input: $demote) { role } inviteMember(input: $invite) { id } }`,
      {
        demote: { accountId: owner.accountId, userId: coOwner.userId, role: 'member' },
        invite: { accountId: owner.accountId, email: bystander.email, role: 'admin' },
      },
      { token: accessToken },
    );

    expect(response.errors?.map((error) => error.path?.[0])).toEqual(['inviteMember']);
    expect((await server.prisma.membership.findUniqueOrThrow({ where: { userId_accountId: { userId: coOwner.userId, accountId: owner.accountId } } })).roleName).toBe('member');
    expect(response.errors?.find((error) => error.path?.[0] === 'inviteMember')?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await server.prisma.invitation.count({ where: { accountId: owner.accountId, email: bystander.email } })).toBe(0);
  });

  it('never switches from a session that ended after the request began (the revocation decides, under its row lock)', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const sessionId = sessionIdOf(member.accessToken);
    await server.prisma.session.update({ where: { id: sessionId }, data: { revokedAt: server.clock.now(), revokedReason: 'LOGOUT' } });
    const before = await server.prisma.session.count({ where: { userId: member.userId } });

    const switching = server.app.services.sessions.switchAccount(sessionId, owner.accountId, { ip: null, userAgent: null });

    await expect(switching).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' } });
    expect(await server.prisma.session.count({ where: { userId: member.userId } })).toBe(before);
  });
});
