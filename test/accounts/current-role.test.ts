import { CURRENT_ACCESS, SET_ROLE } from '../support/documents';
import { addMember, loginTo, signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { presentRefreshToken } from '../support/presenting-tokens';
import { roleIn } from '../support/rows';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { decodeJwtPayload } from '../support/tokens';

// Every decision Gatehouse makes reads the member's role as it is now, with the session, never the
// access token's `role` claim: a demotion takes effect on the very next request, on any instance.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const REMOVE = `mutation Remove($input: RemoveMemberInput!) { removeMember(input: $input) }`;
const INVITE = `mutation Invite($input: InviteMemberInput!) { inviteMember(input: $input) { status } }`;
const MEMBER_EMAILS = `query Members($id: ID!) { account(id: $id) { members { user { id email } } } }`;
const AUTH_EVENTS = `query Events($accountId: ID!) { authEvents(accountId: $accountId) { edges { node { type } } } }`;

/** An account with two owners (the founder and `second`), each with a live token into it. */
async function twoOwners() {
  const founder = await signUp(server, { accountName: 'Two Owners Ltd' });
  const second = await signUp(server);
  await addMember(server, founder, second, 'owner');
  return { founder, second: { ...second, ...(await loginTo(server, second, founder.accountId)) } };
}

async function demote(by: SignedUpUser, accountId: string, userId: string, role: string) {
  const response = await server.graphql(SET_ROLE, { input: { accountId, userId, role } }, { token: by.accessToken });
  expect(response.errors).toBeUndefined();
}

describe("a member's role as it is now", () => {
  it('stops a demoted owner, still holding an owner token, from promoting themself back or removing the real owner', async () => {
    const { founder, second } = await twoOwners();
    await demote(founder, founder.accountId, second.userId, 'member');
    expect(decodeJwtPayload(second.accessToken).role).toBe('owner');

    const promoteSelf = await server.graphql(SET_ROLE, { input: { accountId: founder.accountId, userId: second.userId, role: 'owner' } }, { token: second.accessToken });
    const removeFounder = await server.graphql(REMOVE, { input: { accountId: founder.accountId, userId: founder.userId } }, { token: second.accessToken });
    const demoteFounder = await server.graphql(SET_ROLE, { input: { accountId: founder.accountId, userId: founder.userId, role: 'guest' } }, { token: second.accessToken });

    for (const response of [promoteSelf, removeFounder, demoteFounder]) expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await roleIn(server, second.userId, founder.accountId)).toBe('member');
    expect(await roleIn(server, founder.userId, founder.accountId)).toBe('owner');
  });

  it("takes a demoted admin's audit log, member emails, invitations and removals away on the next request", async () => {
    const owner = await signUp(server);
    const admin = await signUp(server);
    const bystander = await signUp(server);
    await addMember(server, owner, admin, 'admin');
    await addMember(server, owner, bystander, 'member');
    const adminToken = (await loginTo(server, admin, owner.accountId)).accessToken;
    expect((await server.graphql(AUTH_EVENTS, { accountId: owner.accountId }, { token: adminToken })).errors).toBeUndefined();

    await demote(owner, owner.accountId, admin.userId, 'member');

    const events = await server.graphql(AUTH_EVENTS, { accountId: owner.accountId }, { token: adminToken });
    const emails = await server.graphql(MEMBER_EMAILS, { id: owner.accountId }, { token: adminToken });
    const invite = await server.graphql(INVITE, { input: { accountId: owner.accountId, email: 'someone.new@example.test', role: 'member' } }, { token: adminToken });
    const remove = await server.graphql(REMOVE, { input: { accountId: owner.accountId, userId: bystander.userId } }, { token: adminToken });

    expect(events.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(emails.errors?.some((error) => error.path?.at(-1) === 'email' && error.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(JSON.stringify(emails.data)).not.toContain(owner.email);
    expect(invite.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(remove.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await server.prisma.invitation.count({ where: { accountId: owner.accountId, email: 'someone.new@example.test' } })).toBe(0);
    expect(await roleIn(server, bystander.userId, owner.accountId)).toBe('member');
  });

  it('gives a promoted member the new rights on the next request, before any refresh', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, member, 'member');
    const memberToken = (await loginTo(server, member, owner.accountId)).accessToken;
    expect((await server.graphql(AUTH_EVENTS, { accountId: owner.accountId }, { token: memberToken })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    await demote(owner, owner.accountId, member.userId, 'admin');

    expect((await server.graphql(AUTH_EVENTS, { accountId: owner.accountId }, { token: memberToken })).errors).toBeUndefined();
    const session = await server.graphql(CURRENT_ACCESS, {}, { token: memberToken });
    expect(session.data!.currentSession!.role).toBe('admin');
    expect(session.data!.currentSession!.access).toEqual(expect.arrayContaining([{ feature: 'audit', access: 'r' }]));
  });

  it("brings the token's role and scope claims up to date at the next refresh", async () => {
    const { founder, second } = await twoOwners();
    await demote(founder, founder.accountId, second.userId, 'guest');

    const refreshed = await presentRefreshToken(server, second.refreshToken);

    const claims = decodeJwtPayload(refreshed.data!.refreshToken.accessToken);
    expect(claims.role).toBe('guest');
    expect(claims.scope).toBeUndefined();
    expect(refreshed.data!.refreshToken).toMatchObject({ role: 'guest', access: [] });
  });

  it('refuses a token whose user is no longer a member of its account, even if its session were left live', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, member, 'member');
    const memberToken = (await loginTo(server, member, owner.accountId)).accessToken;
    // Removing a member ends their sessions; here the membership goes behind the service's back.
    await server.prisma.membership.delete({ where: { userId_accountId: { userId: member.userId, accountId: owner.accountId } } });

    const me = await server.graphql(`{ me { id } }`, {}, { token: memberToken });

    expect(me.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'NOT_A_MEMBER' });
  });

  it('decides two owners demoting each other at once on the roles they hold under the lock: one owner remains', async () => {
    const { founder, second } = await twoOwners();

    const [first, other] = await Promise.all([
      server.graphql(SET_ROLE, { input: { accountId: founder.accountId, userId: second.userId, role: 'member' } }, { token: founder.accessToken }),
      server.graphql(SET_ROLE, { input: { accountId: founder.accountId, userId: founder.userId, role: 'member' } }, { token: second.accessToken }),
    ]);

    expect([first, other].filter((response) => response.errors === undefined)).toHaveLength(1);
    expect([first, other].find((response) => response.errors)?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await server.prisma.membership.count({ where: { accountId: founder.accountId, roleName: 'owner' } })).toBe(1);
  });
});
