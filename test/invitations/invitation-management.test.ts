import { ACCEPT_INVITATION, INVITE_MEMBER } from '../support/documents';
import type { Invitation } from '../support/documents';
import { addMember, loginTo, memberOfTwoAccounts, signUp, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { mailedToken, outboxMessagesTo } from '../support/outbox';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/** Listing, revoking and resending an account's invitations: the admin's side. */

const LIST = typedDocument<{ invitations: Invitation[] }>(
  `query List($accountId: ID!, $status: InvitationStatus) { invitations(accountId: $accountId, status: $status) { id email role status expiresAt createdAt account { id } } }`,
);
const REVOKE = typedDocument<{ revokeInvitation: boolean }>(`mutation Revoke($id: ID!) { revokeInvitation(id: $id) }`);
const RESEND = typedDocument<{ resendInvitation: Invitation }>(
  `mutation Resend($id: ID!) { resendInvitation(id: $id) { id email role status expiresAt createdAt account { id } } }`,
);
const DECLINE = `mutation Decline($token: String!) { declineInvitation(token: $token) }`;
const PREVIEW_STATUS = typedDocument<{ invitation: { status: string } | null }>(`query Preview($token: String!) { invitation(token: $token) { status } }`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const invite = async (on: TestServer, by: SignedUpUser, email: string, role = 'member', accountId = by.accountId): Promise<Invitation> => {
  const response = await on.graphql(INVITE_MEMBER, { input: { accountId, email, role } }, { token: by.accessToken });
  if (response.errors) throw new Error(`inviteMember failed: ${JSON.stringify(response.errors)}`);
  return response.data!.inviteMember;
};
const list = (on: TestServer, by: { accessToken: string }, accountId: string, status?: string) =>
  on.graphql(LIST, { accountId, status }, { token: by.accessToken });
const revoke = (by: { accessToken: string }, id: string) => server.graphql(REVOKE, { id }, { token: by.accessToken });
const resend = (by: { accessToken: string }, id: string) => server.graphql(RESEND, { id }, { token: by.accessToken });
const accept = (as: { accessToken: string }, token: string) => server.graphql(ACCEPT_INVITATION, { token }, { token: as.accessToken });
const inAccount = async (user: SignedUpUser, accountId: string): Promise<SignedUpUser> => ({ ...user, accessToken: (await loginTo(server, user, accountId)).accessToken });
const eventsOf = (accountId: string, type: string) => server.prisma.authEvent.findMany({ where: { accountId, type } });
/** What a client can tell an answer by: everything but the request path. */
const answerOf = (response: { errors?: readonly { message: string; extensions?: unknown }[]; data?: unknown }) => ({
  data: response.data,
  errors: response.errors?.map((error) => ({ message: error.message, extensions: error.extensions })),
});

describe('listing invitations', () => {
  it("lists the account's invitations newest first, for a member holding invitations:r", async () => {
    const owner = await signUp(server);
    const first = await invite(server, owner, uniqueEmail('first'));
    const second = await invite(server, owner, uniqueEmail('second'), 'admin');

    const response = await list(server, owner, owner.accountId);

    expect(response.errors).toBeUndefined();
    expect(response.data!.invitations.map((invitation) => invitation.id)).toEqual([second.id, first.id]);
    expect(response.data!.invitations[0]).toMatchObject({ email: second.email, role: 'admin', status: 'PENDING', account: { id: owner.accountId } });
  });

  it("refuses another account's list, and a plain member's, and a member removed since their token was issued", async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'member');
    const outsider = await signUp(server);
    const admin = await signUp(server);
    await addMember(server, owner, admin, 'admin');
    const adminThere = await inAccount(admin, owner.accountId);
    await invite(server, owner, uniqueEmail('secret-hire'));

    expect((await list(server, outsider, owner.accountId)).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((await list(server, await inAccount(member, owner.accountId), owner.accountId)).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_PERMISSION' });
    expect((await list(server, adminThere, owner.accountId)).errors).toBeUndefined();
    await server.prisma.membership.delete({ where: { userId_accountId: { userId: admin.userId, accountId: owner.accountId } } });
    const afterRemoval = await list(server, adminThere, owner.accountId);
    expect(afterRemoval.errors?.[0]?.extensions?.code).toBeDefined();
    expect(afterRemoval.data?.invitations).toBeUndefined();
  });
});

describe('listing by status, with expiry', () => {
  let short: TestServer;
  beforeAll(async () => {
    short = await startTestServer({ INVITATION_TTL_SECONDS: '60' });
  });
  afterAll(() => short.close());

  it('filters by each status, and lists a pending invitation past its expiry as EXPIRED', async () => {
    const owner = await signUp(short);
    const expiring = await invite(short, owner, uniqueEmail('expiring'));
    const revoked = await invite(short, owner, uniqueEmail('revoked'));
    const declined = await invite(short, owner, uniqueEmail('declined'));
    const accepter = await signUp(short);
    const accepted = await invite(short, owner, accepter.email);
    expect((await short.graphql(REVOKE, { id: revoked.id }, { token: owner.accessToken })).data).toEqual({ revokeInvitation: true });
    expect((await short.graphql(DECLINE, { token: await mailedToken(short, declined.email, 'accept-invitation') })).errors).toBeUndefined();
    const accepting = await short.graphql(ACCEPT_INVITATION, { token: await mailedToken(short, accepter.email, 'accept-invitation') }, { token: accepter.accessToken });
    expect(accepting.errors).toBeUndefined();

    short.clock.advance(61);
    const pending = await invite(short, owner, uniqueEmail('pending'));
    const idsWith = async (status?: string) => (await list(short, owner, owner.accountId, status)).data!.invitations.map((invitation) => invitation.id);

    expect(await idsWith('EXPIRED')).toEqual([expiring.id]);
    expect(await idsWith('PENDING')).toEqual([pending.id]);
    expect(await idsWith('REVOKED')).toEqual([revoked.id]);
    expect(await idsWith('DECLINED')).toEqual([declined.id]);
    expect(await idsWith('ACCEPTED')).toEqual([accepted.id]);
    const all = (await list(short, owner, owner.accountId)).data!.invitations;
    expect(all.map((invitation) => [invitation.id, invitation.status])).toEqual([
      [pending.id, 'PENDING'],
      [accepted.id, 'ACCEPTED'],
      [declined.id, 'DECLINED'],
      [revoked.id, 'REVOKED'],
      [expiring.id, 'EXPIRED'],
    ]);
  });

  it('resends an expired invitation with a new expiry and link: the old link stays dead, the new one works', async () => {
    const owner = await signUp(short);
    const person = await signUp(short);
    const invitation = await invite(short, owner, person.email);
    const oldToken = await mailedToken(short, person.email, 'accept-invitation');
    short.clock.advance(61);
    expect((await list(short, owner, owner.accountId, 'EXPIRED')).data!.invitations.map((row) => row.id)).toEqual([invitation.id]);

    const resent = await short.graphql(RESEND, { id: invitation.id }, { token: owner.accessToken });

    expect(resent.errors).toBeUndefined();
    expect(resent.data!.resendInvitation).toMatchObject({ id: invitation.id, status: 'PENDING' });
    expect(new Date(resent.data!.resendInvitation.expiresAt).getTime()).toBeGreaterThan(short.clock.now().getTime());
    const newToken = await mailedToken(short, person.email, 'accept-invitation');
    expect(newToken).not.toBe(oldToken);
    expect((await short.graphql(ACCEPT_INVITATION, { token: oldToken }, { token: person.accessToken })).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await short.graphql(ACCEPT_INVITATION, { token: newToken }, { token: person.accessToken })).errors).toBeUndefined();
  });
});

describe('revoking', () => {
  it('stops the link: accept and decline fail, the preview says REVOKED, and the revocation is audited', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    const invitation = await invite(server, owner, person.email);
    const token = await mailedToken(server, person.email, 'accept-invitation');

    expect((await revoke(owner, invitation.id)).data).toEqual({ revokeInvitation: true });

    expect((await accept(person, token)).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await server.graphql(DECLINE, { token })).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await server.graphql(PREVIEW_STATUS, { token })).data).toEqual({ invitation: { status: 'REVOKED' } });
    expect(await server.prisma.membership.count({ where: { userId: person.userId, accountId: owner.accountId } })).toBe(0);
    const [event] = await eventsOf(owner.accountId, 'INVITATION_REVOKED');
    expect(event).toMatchObject({ userId: owner.userId, details: { invitationId: invitation.id } });
    expect(JSON.stringify(event)).not.toContain(token.split('.')[1]);
  });

  it('lets exactly one of a concurrent revoke and accept win: never a member joined through a revoked invitation', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    const invitation = await invite(server, owner, person.email);
    const token = await mailedToken(server, person.email, 'accept-invitation');

    const [revoked, accepted] = await Promise.all([revoke(owner, invitation.id), accept(person, token)]);

    expect([revoked.errors === undefined, accepted.errors === undefined].filter(Boolean)).toHaveLength(1);
    const row = await server.prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    const memberships = await server.prisma.membership.count({ where: { userId: person.userId, accountId: owner.accountId } });
    const outcome = { revoked: row.revokedAt !== null, accepted: row.acceptedAt !== null, memberships };
    expect([
      { revoked: true, accepted: false, memberships: 0 },
      { revoked: false, accepted: true, memberships: 1 },
    ]).toContainEqual(outcome);
  });

  it('answers true again for one already revoked, and INVITATION_NOT_OPEN for one already accepted', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    const revoked = await invite(server, owner, uniqueEmail('twice'));
    const accepted = await invite(server, owner, person.email);
    await accept(person, await mailedToken(server, person.email, 'accept-invitation'));

    await revoke(owner, revoked.id);
    expect((await revoke(owner, revoked.id)).data).toEqual({ revokeInvitation: true });
    expect(await eventsOf(owner.accountId, 'INVITATION_REVOKED')).toHaveLength(1);
    expect((await revoke(owner, accepted.id)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVITATION_NOT_OPEN' });
  });

  it("answers another account's invitation id exactly as an unknown id, and leaves it working", async () => {
    const attacker = await signUp(server);
    const victim = await signUp(server);
    const person = await signUp(server);
    const theirs = await invite(server, victim, person.email);

    const foreign = await revoke(attacker, theirs.id);
    const unknown = await revoke(attacker, '0190a0b0-0000-7000-8000-000000000000');

    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(answerOf(foreign)).toEqual(answerOf(unknown));
    expect((await accept(person, await mailedToken(server, person.email, 'accept-invitation'))).errors).toBeUndefined();
  });

  it("refuses an admin of both accounts whose session is in the other one: a session acts only in its own account", async () => {
    const { owner, member: admin } = await memberOfTwoAccounts(server, 'admin');
    const invitation = await invite(server, owner, uniqueEmail('elsewhere'));

    const fromOwnAccount = await revoke(admin, invitation.id);

    expect(fromOwnAccount.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await revoke(await inAccount(admin, owner.accountId), invitation.id)).data).toEqual({ revokeInvitation: true });
  });

  it('refuses a member without invitations:d', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, member, 'member');
    const invitation = await invite(server, owner, uniqueEmail('kept'));

    const response = await revoke(await inAccount(member, owner.accountId), invitation.id);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_PERMISSION' });
    expect(await server.prisma.invitation.count({ where: { id: invitation.id, revokedAt: null } })).toBe(1);
  });
});

describe('resending', () => {
  it('mails a new link with a new expiry and the old link stops working; audited as INVITATION_RESENT', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    const invitation = await invite(server, owner, person.email, 'admin');
    const oldToken = await mailedToken(server, person.email, 'accept-invitation');

    const resent = await resend(owner, invitation.id);

    expect(resent.errors).toBeUndefined();
    expect(resent.data!.resendInvitation).toMatchObject({ id: invitation.id, email: person.email, role: 'admin', status: 'PENDING' });
    expect(await outboxMessagesTo(server, person.email).then((messages) => messages.filter((message) => message.text.includes('accept-invitation')))).toHaveLength(2);
    const newToken = await mailedToken(server, person.email, 'accept-invitation');
    expect(newToken).not.toBe(oldToken);
    expect((await server.graphql(PREVIEW_STATUS, { token: oldToken })).data).toEqual({ invitation: null });
    expect((await accept(person, oldToken)).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect((await accept(person, newToken)).data!.acceptInvitation.role).toBe('admin');
    expect(await eventsOf(owner.accountId, 'INVITATION_RESENT')).toHaveLength(1);
  });

  it('refuses an answered or revoked invitation (INVITATION_NOT_OPEN) and mails nothing', async () => {
    const owner = await signUp(server);
    const revokedEmail = uniqueEmail('revoked');
    const revoked = await invite(server, owner, revokedEmail);
    await revoke(owner, revoked.id);

    expect((await resend(owner, revoked.id)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVITATION_NOT_OPEN' });
    expect(await outboxMessagesTo(server, revokedEmail)).toHaveLength(1);
  });

  it('keeps the role within the resender\'s rights: an admin cannot resend an owner invitation', async () => {
    const owner = await signUp(server);
    const admin = await signUp(server);
    await addMember(server, owner, admin, 'admin');
    const invitation = await invite(server, owner, uniqueEmail('future-owner'), 'owner');

    const response = await resend(await inAccount(admin, owner.accountId), invitation.id);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_TOO_HIGH' });
    expect(await eventsOf(owner.accountId, 'INVITATION_RESENT')).toHaveLength(0);
  });

  it("answers another account's invitation id exactly as an unknown id, and mails nothing", async () => {
    const attacker = await signUp(server);
    const victim = await signUp(server);
    const email = uniqueEmail('target');
    const theirs = await invite(server, victim, email);

    const foreign = await resend(attacker, theirs.id);
    const unknown = await resend(attacker, '0190a0b0-0000-7000-8000-000000000001');

    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(answerOf(foreign)).toEqual(answerOf(unknown));
    expect(await outboxMessagesTo(server, email)).toHaveLength(1);
  });
});
