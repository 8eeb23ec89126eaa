import { ACCEPT_INVITATION, INVITE_MEMBER, SET_ROLE } from '../support/documents';
import type { Invitation } from '../support/documents';
import { addMember, loginTo, signUp, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { mailedToken, outboxMessagesTo } from '../support/outbox';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const DECLINE = `mutation Decline($token: String!) { declineInvitation(token: $token) }`;
const ADD_MEMBER = typedDocument<{ addMember: Pick<Invitation, 'email' | 'role' | 'status'> }>(
  `mutation Add($input: AddMemberInput!) { addMember(input: $input) { email role status } }`,
);

const invite = (by: SignedUpUser, email: string, role = 'member', accountId = by.accountId) =>
  server.graphql(INVITE_MEMBER, { input: { accountId, email, role } }, { token: by.accessToken });
const accept = (as: { accessToken: string }, token: string) => server.graphql(ACCEPT_INVITATION, { token }, { token: as.accessToken });
const membershipOf = (userId: string, accountId: string) =>
  server.prisma.membership.findUnique({ where: { userId_accountId: { userId, accountId } } });

describe('inviting', () => {
  it('mails a link and adds nobody until the invited person accepts', async () => {
    const owner = await signUp(server, { accountName: 'Invitee Welcome Co' });
    const person = await signUp(server);

    const invited = await invite(owner, person.email, 'admin');

    expect(invited.errors).toBeUndefined();
    expect(invited.data!.inviteMember).toMatchObject({ email: person.email, role: 'admin', status: 'PENDING', account: { id: owner.accountId } });
    expect(await membershipOf(person.userId, owner.accountId)).toBeNull();
    const [mail] = await outboxMessagesTo(server, person.email).then((messages) => messages.filter((message) => message.subject.includes('Invitee Welcome Co')));
    expect(mail?.text).toMatch(/\/accept-invitation\?token=ghi_/);
    expect(mail?.html).toContain('accept-invitation?token=');
  });

  it('answers an address nobody has exactly as one a user has: same fields, no error, a mail either way', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    const nobody = uniqueEmail('nobody');
    const shape = (response: Awaited<ReturnType<typeof invite>>) => ({
      errors: response.errors,
      status: response.status,
      keys: Object.keys(response.data!.inviteMember).sort(),
      invitation: { role: response.data!.inviteMember.role, status: response.data!.inviteMember.status },
    });

    const known = await invite(owner, person.email);
    const unknown = await invite(owner, nobody);

    expect(shape(unknown)).toEqual(shape(known));
    expect(await outboxMessagesTo(server, nobody)).toHaveLength(1);
    expect(await server.prisma.user.count({ where: { email: nobody } })).toBe(0);
  });

  it('joins the account with the role when the invited, verified user accepts, and keeps their own session', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    await invite(owner, person.email, 'admin');

    const accepted = await accept(person, await mailedToken(server, person.email, 'accept-invitation'));

    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptInvitation).toMatchObject({ role: 'admin', account: { id: owner.accountId }, user: { id: person.userId } });
    expect(await membershipOf(person.userId, owner.accountId)).toMatchObject({ roleName: 'admin' });
    expect((await server.graphql(`{ me { id } }`, {}, { token: person.accessToken })).data).toEqual({ me: { id: person.userId } });
    const events = await server.prisma.authEvent.findMany({ where: { accountId: owner.accountId, type: { in: ['INVITATION_SENT', 'MEMBER_ADDED', 'INVITATION_ACCEPTED'] } } });
    expect(events.map((event) => event.type).sort()).toEqual(['INVITATION_ACCEPTED', 'INVITATION_SENT', 'MEMBER_ADDED']);
  });

  it('refuses a leaked link to anyone signed in with another address (INVITATION_EMAIL_MISMATCH)', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    const thief = await signUp(server);
    await invite(owner, person.email);
    const token = await mailedToken(server, person.email, 'accept-invitation');

    const stolen = await accept(thief, token);

    expect(stolen.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'INVITATION_EMAIL_MISMATCH' });
    expect(await membershipOf(thief.userId, owner.accountId)).toBeNull();
    expect((await accept(person, token)).errors).toBeUndefined();
  });

  it('refuses an invited address until its owner has verified it', async () => {
    const owner = await signUp(server);
    const person = await signUp(server, { unverified: true });
    await invite(owner, person.email);

    const response = await accept(person, await mailedToken(server, person.email, 'accept-invitation'));

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await membershipOf(person.userId, owner.accountId)).toBeNull();
  });

  it('replaces the link when the same address is invited again: the old one stops working', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    await invite(owner, person.email, 'guest');
    const first = await mailedToken(server, person.email, 'accept-invitation');
    await invite(owner, person.email, 'member');
    const second = await mailedToken(server, person.email, 'accept-invitation');

    expect(first).not.toBe(second);
    expect((await accept(person, first)).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await accept(person, second)).data!.acceptInvitation.role).toBe('member');
    expect(await server.prisma.invitation.count({ where: { accountId: owner.accountId, email: person.email } })).toBe(1);
  });

  it('lets the link holder decline without a session, after which it cannot be accepted', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    await invite(owner, person.email);
    const token = await mailedToken(server, person.email, 'accept-invitation');

    expect(await server.graphql(DECLINE, { token })).toMatchObject({ data: { declineInvitation: true } });
    expect((await accept(person, token)).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect(await membershipOf(person.userId, owner.accountId)).toBeNull();
  });

  it('refuses an expired invitation (TOKEN_EXPIRED), which can still be declined', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    await invite(owner, person.email);
    const token = await mailedToken(server, person.email, 'accept-invitation');
    await server.prisma.invitation.updateMany({ where: { accountId: owner.accountId }, data: { expiresAt: new Date(server.clock.now().getTime() - 1000) } });

    expect((await accept(person, token)).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    expect((await server.graphql(DECLINE, { token })).data).toEqual({ declineInvitation: true });
  });

  it("voids an admin's pending invitation once they are demoted: it cannot grant a right its inviter no longer holds", async () => {
    const owner = await signUp(server);
    const admin = await signUp(server);
    const person = await signUp(server);
    await addMember(server, owner, admin, 'admin');
    const adminInAccount = { ...admin, accessToken: (await loginTo(server, admin, owner.accountId)).accessToken };
    expect((await invite(adminInAccount, person.email, 'admin', owner.accountId)).errors).toBeUndefined();
    const token = await mailedToken(server, person.email, 'accept-invitation');
    await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: admin.userId, role: 'member' } }, { token: owner.accessToken });

    const response = await accept(person, token);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect(await membershipOf(person.userId, owner.accountId)).toBeNull();
  });

  it('does not let an admin invite anyone as owner, nor a plain member invite at all', async () => {
    const owner = await signUp(server);
    const admin = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, admin, 'admin');
    await addMember(server, owner, member, 'member');
    const inAccount = async (user: SignedUpUser) => ({ ...user, accessToken: (await loginTo(server, user, owner.accountId)).accessToken });

    const asOwner = await invite(await inAccount(admin), uniqueEmail('future-owner'), 'owner', owner.accountId);
    const asMember = await invite(await inAccount(member), uniqueEmail('friend'), 'guest', owner.accountId);

    expect(asOwner.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_TOO_HIGH' });
    expect(asMember.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_PERMISSION' });
    expect(await server.prisma.invitation.count({ where: { accountId: owner.accountId, roleName: 'owner' } })).toBe(0);
  });

  it('refuses to invite an existing member (ALREADY_MEMBER) and answers bad input with BAD_USER_INPUT', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, member, 'member');

    expect((await invite(owner, member.email.toUpperCase())).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ALREADY_MEMBER' });
    expect((await invite(owner, 'not an email')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    expect((await invite(owner, uniqueEmail(), 'superuser')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
  });

  it('accepts one of two concurrent acceptances of the same link, and makes one membership', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    await invite(owner, person.email);
    const token = await mailedToken(server, person.email, 'accept-invitation');

    const results = await Promise.all([accept(person, token), accept(person, token)]);

    expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(await server.prisma.membership.count({ where: { userId: person.userId, accountId: owner.accountId } })).toBe(1);
  });

  it('keeps addMember only as an alias that invites: nobody is added without accepting', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);

    const response = await server.graphql(ADD_MEMBER, { input: { accountId: owner.accountId, email: person.email, role: 'member' } }, { token: owner.accessToken });

    expect(response.data!.addMember).toEqual({ email: person.email, role: 'member', status: 'PENDING' });
    expect(await membershipOf(person.userId, owner.accountId)).toBeNull();
  });
});

describe('invitation limits', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ INVITATION_SEND_MAX: '2', INVITATION_SEND_WINDOW_SECONDS: '3600' });
  });
  afterAll(() => limited.close());

  const inviteFrom = (by: SignedUpUser, ip: string) =>
    limited.graphql(INVITE_MEMBER, { input: { accountId: by.accountId, email: uniqueEmail('limited'), role: 'member' } }, { token: by.accessToken, headers: { 'x-forwarded-for': ip } });

  it('limits invitations per account, whatever the IP, before anything is written or mailed', async () => {
    const owner = await signUp(limited);
    expect((await inviteFrom(owner, '198.51.100.1')).errors).toBeUndefined();
    expect((await inviteFrom(owner, '198.51.100.2')).errors).toBeUndefined();

    const refused = await inviteFrom(owner, '198.51.100.3');

    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect(await limited.prisma.invitation.count({ where: { accountId: owner.accountId } })).toBe(2);
  });

  it('limits invitations per IP, across accounts', async () => {
    const [first, second] = [await signUp(limited), await signUp(limited)];
    await inviteFrom(first, '198.51.100.50');
    await inviteFrom(second, '198.51.100.50');

    expect((await inviteFrom(first, '198.51.100.50')).errors?.[0]?.extensions?.reason).toBe('RATE_LIMITED');
    expect((await inviteFrom(first, '198.51.100.51')).errors).toBeUndefined();
  });
});

describe('invitation limits per inviter', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ INVITATION_INVITER_MAX: '2', INVITATION_SEND_MAX: '100', INVITATION_SEND_WINDOW_SECONDS: '3600' });
  });
  afterAll(() => limited.close());

  const inviteAs = (by: { accessToken: string }, accountId: string, ip: string) =>
    limited.graphql(INVITE_MEMBER, { input: { accountId, email: uniqueEmail('per-inviter'), role: 'member' } }, { token: by.accessToken, headers: { 'x-forwarded-for': ip } });
  const RESEND = `mutation Resend($id: ID!) { resendInvitation(id: $id) { id } }`;

  it('limits each inviter, whatever the IP, while another admin of the same account can still invite; resending counts too', async () => {
    const owner = await signUp(limited);
    const admin = await signUp(limited);
    await addMember(limited, owner, admin, 'admin'); // the owner's first invitation
    const adminThere = { accessToken: (await loginTo(limited, admin, owner.accountId)).accessToken };
    const second = await inviteAs(owner, owner.accountId, '198.51.100.70');
    expect(second.errors).toBeUndefined();

    const third = await inviteAs(owner, owner.accountId, '198.51.100.71');
    const resent = await limited.graphql(RESEND, { id: second.data!.inviteMember.id }, { token: owner.accessToken, headers: { 'x-forwarded-for': '198.51.100.72' } });

    expect(third.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect(resent.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect(await limited.prisma.invitation.count({ where: { accountId: owner.accountId, invitedByUserId: owner.userId } })).toBe(2);
    expect((await inviteAs(adminThere, owner.accountId, '198.51.100.73')).errors).toBeUndefined();
  });
});
