import { accountWith, CREATE_ACCOUNT, DELETE_ACCOUNT, isTokenAccepted } from '../support/account-lifecycle';
import { INVITE_MEMBER, LOGIN, REFRESH } from '../support/documents';
import { loginTo, signUp, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { codeIn, reasonIn } from '../support/graphql-errors';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const deleteAccount = (user: SignedUpUser, input: { accountId?: string; confirmName: string; currentPassword?: string }) =>
  server.graphql(
    DELETE_ACCOUNT,
    { input: { accountId: input.accountId ?? user.accountId, confirmName: input.confirmName, currentPassword: input.currentPassword ?? user.password } },
    { token: user.accessToken },
  );

describe('deleteAccount', () => {
  it("deletes the account with its memberships, sessions and invitations, keeps its audit rows, and refuses its members' old tokens", async () => {
    const { owner, members } = await accountWith(server, ['admin', 'member']);
    const [admin, member] = members;
    const invited = await server.graphql(INVITE_MEMBER, { input: { accountId: owner.accountId, email: uniqueEmail('invitee'), role: 'member' } }, { token: owner.accessToken });
    expect(invited.errors).toBeUndefined();
    const auditRowsBefore = await server.prisma.authEvent.count({ where: { accountId: owner.accountId } });
    expect(auditRowsBefore).toBeGreaterThan(0);

    const response = await deleteAccount(owner, { confirmName: 'Team Account' });
    expect(response).toMatchObject({ data: { deleteAccount: true } });

    expect(await server.prisma.account.count({ where: { id: owner.accountId } })).toBe(0);
    expect(await server.prisma.membership.count({ where: { accountId: owner.accountId } })).toBe(0);
    expect(await server.prisma.session.count({ where: { accountId: owner.accountId } })).toBe(0);
    expect(await server.prisma.invitation.count({ where: { accountId: owner.accountId } })).toBe(0);
    // The audit log keeps every row, with the deletion itself last.
    expect(await server.prisma.authEvent.count({ where: { accountId: owner.accountId } })).toBe(auditRowsBefore + 1);
    const event = await server.prisma.authEvent.findFirstOrThrow({ where: { type: 'ACCOUNT_DELETED', accountId: owner.accountId } });
    expect(event).toMatchObject({ userId: owner.userId, details: { name: 'Team Account', members: 3 } });

    for (const user of [owner, admin!, member!]) {
      expect(await isTokenAccepted(server, user.accessToken)).toBe(false);
      expect(codeIn(await server.graphql(REFRESH, { input: { refreshToken: user.refreshToken } }))).toBe('UNAUTHENTICATED');
    }
    // Members who had other accounts keep them.
    expect(await server.prisma.membership.count({ where: { userId: member!.userId } })).toBe(1);
    expect(await isTokenAccepted(server, (await loginTo(server, member!, member!.ownAccountId)).accessToken)).toBe(true);
  });

  it('needs the exact name: anything else is BAD_USER_INPUT and deletes nothing', async () => {
    const owner = await signUp(server, { accountName: 'Exact Name' });
    for (const confirmName of ['exact name', 'Exact Name ', '', 'Other']) {
      const response = await deleteAccount(owner, { confirmName });
      expect(codeIn(response)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.extensions?.field).toBe('confirmName');
    }
    expect(await server.prisma.account.count({ where: { id: owner.accountId } })).toBe(1);
    expect(await isTokenAccepted(server, owner.accessToken)).toBe(true);
  });

  it('needs the current password', async () => {
    const owner = await signUp(server, { accountName: 'Guarded' });
    const response = await deleteAccount(owner, { confirmName: 'Guarded', currentPassword: 'wrong-password-entirely' });
    expect(reasonIn(response)).toBe('INVALID_CREDENTIALS');
    expect(await server.prisma.account.count({ where: { id: owner.accountId } })).toBe(1);
  });

  it('is for owners only: an admin and a member are refused', async () => {
    const { owner, members } = await accountWith(server, ['admin', 'member']);
    for (const user of members) {
      const response = await deleteAccount(user, { confirmName: 'Team Account' });
      expect(codeIn(response)).toBe('FORBIDDEN');
    }
    expect(await server.prisma.account.count({ where: { id: owner.accountId } })).toBe(1);
  });

  it("refuses another account's id", async () => {
    const victim = await signUp(server, { accountName: 'Victim Inc' });
    const attacker = await signUp(server);
    const response = await deleteAccount(attacker, { accountId: victim.accountId, confirmName: 'Victim Inc' });
    expect(codeIn(response)).toBe('FORBIDDEN');
    expect(await server.prisma.account.count({ where: { id: victim.accountId } })).toBe(1);
  });

  it('leaves a member whose last account it was with an empty choice at login, from which createAccount recovers', async () => {
    const { owner, members } = await accountWith(server, ['member']);
    const [member] = members;
    // The member's own account goes first (as its owner), so the team account is their last.
    const own = await server.prisma.account.findUniqueOrThrow({ where: { id: member!.ownAccountId } });
    const ownSession = await loginTo(server, member!, own.id);
    expect((await deleteAccount({ ...member!, accountId: own.id, accessToken: ownSession.accessToken }, { confirmName: own.name })).errors).toBeUndefined();
    expect((await deleteAccount(owner, { confirmName: 'Team Account' })).errors).toBeUndefined();

    const login = await server.graphql(LOGIN, { input: { email: member!.email, password: member!.password } });
    expect(login.data!.login).toMatchObject({ __typename: 'AccountSelectionRequired', accounts: [] });
    const created = await server.graphql(CREATE_ACCOUNT, { input: { name: 'Back Again', selectionToken: login.data!.login.selectionToken } });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createAccount).toMatchObject({ role: 'owner', account: { name: 'Back Again' } });
    expect(await isTokenAccepted(server, created.data!.createAccount.accessToken)).toBe(true);
  });
});
