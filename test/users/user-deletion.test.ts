import { INVITE_MEMBER, SET_ROLE } from '../support/documents';
import { addMember, attemptLogin, signUp, strongPassword } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { codeIn, extensionsOf, reasonIn } from '../support/graphql-errors';
import { expectAccessTokenRefused, presentRefreshToken, presentToMe } from '../support/presenting-tokens';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const DELETE_MY_USER = typedDocument<{ deleteMyUser: boolean }>(`mutation DeleteMyUser($input: DeleteMyUserInput!) { deleteMyUser(input: $input) }`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const deleteMyUser = (user: Pick<SignedUpUser, 'accessToken' | 'password'>, currentPassword = user.password) =>
  server.graphql(DELETE_MY_USER, { input: { currentPassword } }, { token: user.accessToken });

/** Everything a refused deletion must leave as it was. */
async function snapshotOf(user: SignedUpUser) {
  const { prisma } = server;
  return {
    user: await prisma.user.findUnique({ where: { id: user.userId } }),
    memberships: await prisma.membership.findMany({ where: { userId: user.userId }, orderBy: { accountId: 'asc' } }),
    liveSessions: await prisma.session.count({ where: { userId: user.userId, revokedAt: null } }),
    auditRows: await prisma.authEvent.findMany({ where: { userId: user.userId }, orderBy: { id: 'asc' } }),
    deletions: await prisma.authEvent.count({ where: { type: 'USER_DELETED' } }),
  };
}

describe('deleteMyUser', () => {
  it('deletes the user, their memberships and the account they alone belonged to', async () => {
    const user = await signUp(server);

    const response = await deleteMyUser(user);

    expect(response.errors).toBeUndefined();
    expect(response.data?.deleteMyUser).toBe(true);
    const { prisma } = server;
    expect(await prisma.user.findUnique({ where: { id: user.userId } })).toBeNull();
    expect(await prisma.membership.count({ where: { userId: user.userId } })).toBe(0);
    expect(await prisma.account.findUnique({ where: { id: user.accountId } })).toBeNull();
    expect(await prisma.session.count({ where: { userId: user.userId } })).toBe(0);
    expect(await prisma.emailToken.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('refuses their access and refresh tokens at once, and their password no longer logs in', async () => {
    const user = await signUp(server);

    await deleteMyUser(user);

    // Their session is gone with them: the token names nothing any more.
    expectAccessTokenRefused(await presentToMe(server, user.accessToken), 'INVALID_TOKEN');
    expect(codeIn(await presentRefreshToken(server, user.refreshToken))).toBe('UNAUTHENTICATED');
    expect(reasonIn(await attemptLogin(server, { email: user.email, password: user.password }))).toBe('INVALID_CREDENTIALS');
    expect(codeIn(await deleteMyUser(user))).toBe('UNAUTHENTICATED');
  });

  it('removes the invitations they accepted, which held their address and id', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, member, 'member');

    await deleteMyUser(member);

    expect(await server.prisma.invitation.count({ where: { OR: [{ email: member.email }, { acceptedByUserId: member.userId }] } })).toBe(0);
  });

  it('frees the address: someone may sign up with it again, as a new user', async () => {
    const user = await signUp(server);
    await deleteMyUser(user);

    const again = await signUp(server, { email: user.email });

    expect(again.userId).not.toBe(user.userId);
  });

  it('answers a wrong current password with INVALID_CREDENTIALS, counted, and deletes nothing', async () => {
    const user = await signUp(server);

    const response = await deleteMyUser(user, strongPassword());

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    expect(await server.prisma.user.findUnique({ where: { id: user.userId } })).not.toBeNull();
    const failures = await server.prisma.authEvent.findMany({ where: { userId: user.userId, type: 'LOGIN_FAILED' } });
    expect(failures).toEqual([expect.objectContaining({ reason: 'WRONG_CURRENT_PASSWORD', details: { during: 'DELETE_USER' } })]);
  });

  it('refuses the last owner of an account with other members with FORBIDDEN LAST_OWNER, naming the account, and writes nothing', async () => {
    const owner = await signUp(server, { accountName: 'Kept Alive' });
    const member = await signUp(server);
    await addMember(server, owner, member, 'admin');
    const before = await snapshotOf(owner);

    const response = await deleteMyUser(owner);

    expect(extensionsOf(response)).toMatchObject({ code: 'FORBIDDEN', reason: 'LAST_OWNER', accountIds: [owner.accountId] });
    expect(await snapshotOf(owner)).toEqual(before);
    expect(await server.prisma.account.findUnique({ where: { id: owner.accountId } })).not.toBeNull();
    expect((await presentToMe(server, owner.accessToken)).data?.me?.id).toBe(owner.userId);
  });

  it('lets a member leave: their membership goes, the shared account and its owner stay', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, member, 'member');

    expect((await deleteMyUser(member)).errors).toBeUndefined();

    expect(await server.prisma.account.findUnique({ where: { id: owner.accountId } })).not.toBeNull();
    expect(await server.prisma.membership.findMany({ where: { accountId: owner.accountId } })).toEqual([
      expect.objectContaining({ userId: owner.userId, roleName: 'owner' }),
    ]);
    expect(await server.prisma.account.findUnique({ where: { id: member.accountId } })).toBeNull();
  });

  it('lets an owner go when another owner stays', async () => {
    const owner = await signUp(server);
    const coOwner = await signUp(server);
    await addMember(server, owner, coOwner, 'owner');

    expect((await deleteMyUser(owner)).errors).toBeUndefined();

    expect(await server.prisma.membership.findMany({ where: { accountId: owner.accountId } })).toEqual([
      expect.objectContaining({ userId: coOwner.userId, roleName: 'owner' }),
    ]);
  });

  it('lets exactly one of two owners deleting themselves at once go, so their account keeps an owner', async () => {
    const first = await signUp(server);
    const second = await signUp(server);
    const member = await signUp(server);
    await addMember(server, first, second, 'owner');
    await addMember(server, first, member, 'member');

    const responses = await Promise.all([deleteMyUser(first), deleteMyUser(second)]);

    expect(responses.filter((response) => response.errors === undefined)).toHaveLength(1);
    expect(responses.map(reasonIn).filter(Boolean)).toEqual(['LAST_OWNER']);
    expect(await server.prisma.membership.count({ where: { accountId: first.accountId, roleName: 'owner' } })).toBe(1);
  });

  it('lets an unverified user delete themself', async () => {
    const user = await signUp(server, { unverified: true });

    expect((await deleteMyUser(user)).errors).toBeUndefined();

    expect(await server.prisma.user.findUnique({ where: { id: user.userId } })).toBeNull();
  });

  it('needs a signed-in user', async () => {
    expect(codeIn(await server.graphql(DELETE_MY_USER, { input: { currentPassword: strongPassword() } }))).toBe('UNAUTHENTICATED');
  });
});

describe('the audit log after deleteMyUser', () => {
  /** A member who acted in a shared account (invited someone) and was acted on (re-roled), then deleted themself. */
  async function deletedMember() {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, member, 'admin');
    const memberInShared = await attemptLogin(server, { email: member.email, password: member.password, accountId: owner.accountId });
    const memberToken = memberInShared.data!.login.accessToken as string;
    const invitee = `invitee.${Date.now().toString(36)}@example.test`;
    expect((await server.graphql(INVITE_MEMBER, { input: { accountId: owner.accountId, email: invitee, role: 'member' } }, { token: memberToken })).errors).toBeUndefined();
    // Someone else's event naming the member: the owner re-roles them.
    expect((await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: member.userId, role: 'member' } }, { token: owner.accessToken })).errors).toBeUndefined();
    const eventIds = (await server.prisma.authEvent.findMany({ where: { userId: member.userId }, select: { id: true } })).map((event) => event.id);
    expect((await deleteMyUser(member)).errors).toBeUndefined();
    return { owner, member, invitee, eventIds };
  }

  it('keeps the deleted user’s events, under one pseudonym, without address, browser or session', async () => {
    const { member, eventIds } = await deletedMember();

    const events = await server.prisma.authEvent.findMany({ where: { id: { in: eventIds } } });

    expect(events).toHaveLength(eventIds.length);
    const pseudonyms = new Set(events.map((event) => event.userId));
    expect(pseudonyms.size).toBe(1);
    expect([...pseudonyms][0]).not.toBe(member.userId);
    expect([...pseudonyms][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.every((event) => event.ip === null && event.userAgent === null && event.sessionId === null)).toBe(true);
    expect(await server.prisma.authEvent.count({ where: { userId: member.userId } })).toBe(0);
  });

  it('leaves no trace of the deleted user’s id or address anywhere in the log', async () => {
    const { member } = await deletedMember();

    const everything = JSON.stringify(await server.prisma.authEvent.findMany());

    expect(everything).not.toContain(member.userId);
    expect(everything).not.toContain(member.email);
  });

  it('replaces the deleted user’s id in other people’s events with the same pseudonym, and drops addresses from their invitations', async () => {
    const { owner, invitee, eventIds } = await deletedMember();
    const pseudonym = (await server.prisma.authEvent.findFirstOrThrow({ where: { id: eventIds[0] } })).userId;

    const roleChange = await server.prisma.authEvent.findFirstOrThrow({ where: { userId: owner.userId, type: 'MEMBER_ROLE_CHANGED', accountId: owner.accountId } });
    const invitation = await server.prisma.authEvent.findFirstOrThrow({ where: { userId: pseudonym, type: 'INVITATION_SENT' } });

    expect(roleChange.details).toMatchObject({ targetUserId: pseudonym, from: 'admin', to: 'member' });
    expect(invitation.details).toMatchObject({ role: 'member' });
    expect(JSON.stringify(invitation.details)).not.toContain(invitee);
    expect(roleChange.ip).not.toBeNull();
  });

  it('records USER_DELETED under the pseudonym, with no address, browser or personal detail', async () => {
    const { eventIds } = await deletedMember();
    const pseudonym = (await server.prisma.authEvent.findFirstOrThrow({ where: { id: eventIds[0] } })).userId;

    const [deleted] = await server.prisma.authEvent.findMany({ where: { type: 'USER_DELETED', userId: pseudonym } });

    expect(deleted).toMatchObject({ ip: null, userAgent: null, sessionId: null, accountId: null, details: { accountsDeleted: 1, membershipsEnded: 2 } });
  });
});

describe('wrong passwords at deleteMyUser', () => {
  const LOCK_AFTER = 2;
  let locking: TestServer;
  beforeAll(async () => {
    locking = await startTestServer({ LOGIN_BACKOFF_AFTER_FAILURES: String(LOCK_AFTER), LOGIN_LOCK_AFTER_FAILURES: String(LOCK_AFTER), LOGIN_LOCK_SECONDS: '600' });
  });
  afterAll(() => locking.close());

  it('count against the user’s one budget of guesses: once locked, even the right password deletes nothing', async () => {
    const user = await signUp(locking);
    const attempt = (currentPassword: string) => locking.graphql(DELETE_MY_USER, { input: { currentPassword } }, { token: user.accessToken });
    for (let guess = 0; guess < LOCK_AFTER; guess++) expect(reasonIn(await attempt(strongPassword()))).toBe('INVALID_CREDENTIALS');

    expect(reasonIn(await attempt(user.password))).toBe('RATE_LIMITED');
    expect(await locking.prisma.user.findUnique({ where: { id: user.userId } })).not.toBeNull();
  });
});
