import { addMember, loginTo, signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ACCOUNT_MEMBERS = typedDocument<{ account: { id: string; name: string; members: { role: string; user: { id: string } }[] } | null }>(
  `query Members($id: ID!) { account(id: $id) { id name members { role user { id } } } }`,
);
const MEMBER_EMAILS = typedDocument<{ account: { members: { user: { id: string; email: string | null } }[] } | null }>(
  `query Members($id: ID!) { account(id: $id) { members { user { id email } } } }`,
);
const SET_ROLE = typedDocument<{ setMemberRole: { role: string; user: { id: string } } }>(
  `mutation SetRole($input: SetMemberRoleInput!) { setMemberRole(input: $input) { role user { id } } }`,
);
const REMOVE = `mutation Remove($input: RemoveMemberInput!) { removeMember(input: $input) }`;
const INVITE = `mutation Invite($input: InviteMemberInput!) { inviteMember(input: $input) { role status } }`;

/** An account owned by `owner` with an admin, a member and a guest, each logged into it. */
async function team() {
  const owner = await signUp(server);
  const [admin, member, guest] = await Promise.all([signUp(server), signUp(server), signUp(server)]);
  await addMember(server, owner, admin, 'admin');
  await addMember(server, owner, member, 'member');
  await addMember(server, owner, guest, 'guest');
  const inAccount = async (user: SignedUpUser) => ({ ...user, accessToken: (await loginTo(server, user, owner.accountId)).accessToken });
  return { owner, admin: await inAccount(admin), member: await inAccount(member), guest: await inAccount(guest) };
}

describe('account members', () => {
  it('shows members to a role with members:r and hides them from a guest', async () => {
    const { owner, member, guest } = await team();
    const asMember = await server.graphql(ACCOUNT_MEMBERS, { id: owner.accountId }, { token: member.accessToken });
    expect(asMember.data!.account!.members).toHaveLength(4);

    const asGuest = await server.graphql(ACCOUNT_MEMBERS, { id: owner.accountId }, { token: guest.accessToken });
    expect(asGuest.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(asGuest.errors?.[0]?.path).toEqual(['account', 'members']);
  });

  it("shows other members' emails to admins but not to plain members", async () => {
    const { owner, admin, member } = await team();
    const asAdmin = await server.graphql(MEMBER_EMAILS, { id: owner.accountId }, { token: admin.accessToken });
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data!.account!.members.map((m) => m.user.email)).toContain(owner.email);

    const asMember = await server.graphql(MEMBER_EMAILS, { id: owner.accountId }, { token: member.accessToken });
    expect(asMember.errors?.some((error) => error.path?.at(-1) === 'email' && error.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(JSON.stringify(asMember.data)).not.toContain(owner.email);
  });

  it('answers null for an account the caller is not in, exactly as for one that does not exist', async () => {
    const outsider = await signUp(server);
    const { owner } = await team();
    const foreign = await server.graphql(ACCOUNT_MEMBERS, { id: owner.accountId }, { token: outsider.accessToken });
    const missing = await server.graphql(ACCOUNT_MEMBERS, { id: '00000000-0000-4000-8000-000000000000' }, { token: outsider.accessToken });
    expect(foreign).toMatchObject({ data: { account: null } });
    expect(missing).toMatchObject({ data: { account: null } });
    expect(foreign.errors).toBeUndefined();
  });

  it('refuses member management in an account other than the session’s (no IDOR across tenants)', async () => {
    const attacker = await signUp(server);
    const { owner, member } = await team();
    const response = await server.graphql(REMOVE, { input: { accountId: owner.accountId, userId: member.userId } }, { token: attacker.accessToken });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await server.prisma.membership.count({ where: { accountId: owner.accountId, userId: member.userId } })).toBe(1);
  });

  it('refuses member mutations to roles without the permission', async () => {
    const { owner, member, guest } = await team();
    const stranger = await signUp(server);
    const add = await server.graphql(INVITE, { input: { accountId: owner.accountId, email: stranger.email, role: 'guest' } }, { token: member.accessToken });
    const setRole = await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: guest.userId, role: 'member' } }, { token: member.accessToken });
    const remove = await server.graphql(REMOVE, { input: { accountId: owner.accountId, userId: guest.userId } }, { token: member.accessToken });
    for (const response of [add, setRole, remove]) expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await server.prisma.membership.findUnique({ where: { userId_accountId: { userId: guest.userId, accountId: owner.accountId } } })).toMatchObject({ roleName: 'guest' });
  });

  it('refuses anonymous member mutations with UNAUTHENTICATED', async () => {
    const { owner, guest } = await team();
    const response = await server.graphql(REMOVE, { input: { accountId: owner.accountId, userId: guest.userId } });
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('does not let an admin grant owner, or change or remove an owner', async () => {
    const { owner, admin, member } = await team();
    const promote = await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: member.userId, role: 'owner' } }, { token: admin.accessToken });
    const promoteSelf = await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: admin.userId, role: 'owner' } }, { token: admin.accessToken });
    const demoteOwner = await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: owner.userId, role: 'member' } }, { token: admin.accessToken });
    const removeOwner = await server.graphql(REMOVE, { input: { accountId: owner.accountId, userId: owner.userId } }, { token: admin.accessToken });
    for (const response of [promote, promoteSelf, demoteOwner, removeOwner]) {
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_TOO_HIGH' });
    }
    const roles = await server.prisma.membership.findMany({ where: { accountId: owner.accountId }, select: { userId: true, roleName: true } });
    expect(roles).toEqual(expect.arrayContaining([{ userId: owner.userId, roleName: 'owner' }, { userId: member.userId, roleName: 'member' }]));
  });

  it('lets an admin manage roles up to their own', async () => {
    const { owner, admin, guest } = await team();
    const response = await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: guest.userId, role: 'admin' } }, { token: admin.accessToken });
    expect(response.errors).toBeUndefined();
    expect(response.data!.setMemberRole.role).toBe('admin');
  });

  it('never lets the last owner be demoted or removed', async () => {
    const { owner } = await team();
    const demote = await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: owner.userId, role: 'admin' } }, { token: owner.accessToken });
    const remove = await server.graphql(REMOVE, { input: { accountId: owner.accountId, userId: owner.userId } }, { token: owner.accessToken });
    for (const response of [demote, remove]) expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'LAST_OWNER' });
    expect(await server.prisma.membership.count({ where: { accountId: owner.accountId, roleName: 'owner' } })).toBe(1);
  });

  it('lets an owner step down once another owner exists', async () => {
    const { owner, admin } = await team();
    await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: admin.userId, role: 'owner' } }, { token: owner.accessToken });
    const response = await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: owner.userId, role: 'member' } }, { token: owner.accessToken });
    expect(response.errors).toBeUndefined();
    expect(await server.prisma.membership.count({ where: { accountId: owner.accountId, roleName: 'owner' } })).toBe(1);
  });

  it('keeps one owner when two owners demote each other at the same time', async () => {
    const { owner, admin } = await team();
    await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: admin.userId, role: 'owner' } }, { token: owner.accessToken });
    const secondOwner = { ...admin, accessToken: (await loginTo(server, admin, owner.accountId)).accessToken };
    const results = await Promise.all([
      server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: secondOwner.userId, role: 'member' } }, { token: owner.accessToken }),
      server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: owner.userId, role: 'member' } }, { token: secondOwner.accessToken }),
    ]);
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(await server.prisma.membership.count({ where: { accountId: owner.accountId, roleName: 'owner' } })).toBe(1);
  });

  it('ends a removed member’s sessions in that account at once', async () => {
    const { owner, member } = await team();
    const removed = await server.graphql(REMOVE, { input: { accountId: owner.accountId, userId: member.userId } }, { token: owner.accessToken });
    expect(removed.data).toEqual({ removeMember: true });
    const me = await server.graphql(`{ me { id } }`, {}, { token: member.accessToken });
    expect(me.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  });

  it("shows a user's memberships to themself, and to a plain member not at all", async () => {
    const { owner, member } = await team();
    const query = typedDocument<{ me: { memberships: { role: string; account: { id: string } }[] } | null }>(`query { me { memberships { role account { id } } } }`);
    const own = await server.graphql(query, {}, { token: member.accessToken });
    expect(own.data!.me!.memberships).toEqual(expect.arrayContaining([{ role: 'member', account: { id: owner.accountId } }]));

    const throughAccount = await server.graphql(`query($id: ID!) { account(id: $id) { members { user { memberships { role } } } } }`, { id: owner.accountId }, { token: member.accessToken });
    expect(throughAccount.errors?.some((error) => error.extensions?.code === 'FORBIDDEN')).toBe(true);
  });

  it("shows an admin only the membership in the account they administer, never a member's other tenants", async () => {
    const { owner, admin, member } = await team();
    // member also owns an account of their own, which the admin has no business knowing about.
    const query = typedDocument<{ account: { members: { user: { id: string; memberships: { role: string; account: { id: string; name: string } }[] } }[] } | null }>(
      `query($id: ID!) { account(id: $id) { members { user { id memberships { role account { id name } } } } } }`,
    );

    const response = await server.graphql(query, { id: owner.accountId }, { token: admin.accessToken });

    expect(response.errors).toBeUndefined();
    const memberRow = response.data!.account!.members.find((row) => row.user.id === member.userId)!;
    expect(memberRow.user.memberships).toEqual([{ role: 'member', account: { id: owner.accountId, name: expect.any(String) } }]);
    expect(JSON.stringify(response.data)).not.toContain(member.accountId);
  });
});
