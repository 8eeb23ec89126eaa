import { CHANGE_PASSWORD, LOGOUT, REFRESH, SET_ROLE } from '../support/documents';
import { addMember, loginTo, signUp, strongPassword } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { subscribeToSessionEvents } from '../support/session-events-client';
import type { SessionEventsSubscription } from '../support/session-events-client';
import { sleep } from '../support/sleep';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { sessionIdOf } from '../support/tokens';

const REMOVE_MEMBER = `mutation Remove($input: RemoveMemberInput!) { removeMember(input: $input) }`;

let server: TestServer;
const open: SessionEventsSubscription[] = [];
beforeAll(async () => {
  // No grace for a reused refresh token: its second use is reuse at once.
  server = await startTestServer({ REFRESH_REUSE_GRACE_SECONDS: '0' });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((subscription) => subscription.dispose()));
});
afterAll(() => server.close());

async function subscribe(accessToken: string | null, document?: string): Promise<SessionEventsSubscription> {
  const subscription = await subscribeToSessionEvents(server.url, accessToken, document);
  open.push(subscription);
  return subscription;
}

/** Resolves with the close if it comes within `milliseconds`, else null: for asserting a socket stays. */
const closeWithin = (subscription: SessionEventsSubscription, milliseconds: number) => Promise.race([subscription.closed, sleep(milliseconds).then(() => null)]);

async function memberOfOwnersAccount(role: string): Promise<{ owner: SignedUpUser; member: SignedUpUser; memberToken: string }> {
  const owner = await signUp(server, { accountName: 'Shared Workshop' });
  const member = await signUp(server);
  await addMember(server, owner, member, role);
  const { accessToken } = await loginTo(server, member, owner.accountId);
  return { owner, member, memberToken: accessToken };
}

describe('sessionEvents over WebSocket: connecting', () => {
  it('refuses a connection without a token, or with a bad one, by closing it with 4401', async () => {
    for (const token of [null, 'not-a-jwt', 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl']) {
      const subscription = await subscribe(token);
      expect((await subscription.closed).code).toBe(4401);
      expect(subscription.events).toEqual([]);
    }
  });

  it('refuses the access token of a session that has ended with 4401', async () => {
    const user = await signUp(server);
    await server.graphql(LOGOUT, {}, { token: user.accessToken });

    expect((await (await subscribe(user.accessToken)).closed).code).toBe(4401);
  });

  it('refuses the still-unexpired token of a removed member at connect with 4403', async () => {
    const { owner, member, memberToken } = await memberOfOwnersAccount('member');
    const removed = await server.graphql(REMOVE_MEMBER, { input: { accountId: owner.accountId, userId: member.userId } }, { token: owner.accessToken });
    expect(removed.errors).toBeUndefined();

    expect((await (await subscribe(memberToken)).closed).code).toBe(4403);
  });

  it("names no session to listen to: asking for another user's session is a validation error, and that session's own socket hears nothing of it", async () => {
    const victim = await signUp(server);
    const attacker = await signUp(server);
    const victimSocket = await subscribe(victim.accessToken);

    const probe = await subscribe(attacker.accessToken, `subscription { sessionEvents(sessionId: "${sessionIdOf(victim.accessToken)}") { type reason } }`);
    await sleep(200);

    expect(probe.events).toEqual([]);
    expect(probe.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('sessionId'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    expect(victimSocket.events).toEqual([]);
    expect(await closeWithin(victimSocket, 50)).toBeNull();
  });

  it('serves subscriptions only: a query over the socket is refused with BAD_USER_INPUT', async () => {
    const user = await signUp(server);
    const subscription = await subscribe(user.accessToken, 'query { me { id } }');
    await sleep(200);

    expect(subscription.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
  });

  it('answers a subscription sent over HTTP with a GraphQL error, not a 5xx', async () => {
    const user = await signUp(server);
    const response = await server.graphql('subscription { sessionEvents { type } }', {}, { token: user.accessToken });

    expect(response.status).toBeLessThan(500);
    expect(response.errors?.length).toBeGreaterThan(0);
  });
});

describe('sessionEvents over WebSocket: what the server tells an open socket', () => {
  it('a logout elsewhere (allSessions from another session) sends REVOKED LOGOUT_ALL and closes with 4401 within 1 s', async () => {
    const user = await signUp(server);
    const otherDevice = await loginTo(server, user, user.accountId);
    const subscription = await subscribe(user.accessToken);

    const started = performance.now();
    const loggedOut = await server.graphql(LOGOUT, { input: { allSessions: true } }, { token: otherDevice.accessToken });
    const close = await subscription.closed;

    expect(loggedOut.errors).toBeUndefined();
    expect(close.code).toBe(4401);
    expect(close.at - started).toBeLessThan(1_000);
    expect(subscription.events).toEqual([{ type: 'REVOKED', sessionId: sessionIdOf(user.accessToken), reason: 'LOGOUT_ALL', role: null, expiresAt: null }]);
  });

  it('a password change on another session sends REVOKED PASSWORD_CHANGED and closes with 4401; the changing session keeps its socket', async () => {
    const user = await signUp(server);
    const otherDevice = await loginTo(server, user, user.accountId);
    const subscription = await subscribe(user.accessToken);
    const changer = await subscribe(otherDevice.accessToken);

    const changed = await server.graphql(CHANGE_PASSWORD, { currentPassword: user.password, newPassword: strongPassword() }, { token: otherDevice.accessToken });

    expect(changed.errors).toBeUndefined();
    expect((await subscription.closed).code).toBe(4401);
    expect(subscription.events.map((event) => [event.type, event.reason])).toEqual([['REVOKED', 'PASSWORD_CHANGED']]);
    expect(await closeWithin(changer, 300)).toBeNull();
  });

  it('refresh-token reuse sends REVOKED REFRESH_TOKEN_REUSED and closes with 4401', async () => {
    const user = await signUp(server);
    const subscription = await subscribe(user.accessToken);
    expect((await server.graphql(REFRESH, { input: { refreshToken: user.refreshToken } })).errors).toBeUndefined();

    const replayed = await server.graphql(REFRESH, { input: { refreshToken: user.refreshToken } });

    expect(replayed.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await subscription.closed).code).toBe(4401);
    expect(subscription.events.map((event) => [event.type, event.reason])).toEqual([['REVOKED', 'REFRESH_TOKEN_REUSED']]);
  });

  it('removing the member sends REVOKED MEMBERSHIP_REMOVED and closes with 4403', async () => {
    const { owner, member, memberToken } = await memberOfOwnersAccount('member');
    const subscription = await subscribe(memberToken);

    await server.graphql(REMOVE_MEMBER, { input: { accountId: owner.accountId, userId: member.userId } }, { token: owner.accessToken });

    expect((await subscription.closed).code).toBe(4403);
    expect(subscription.events.map((event) => [event.type, event.reason])).toEqual([['REVOKED', 'MEMBERSHIP_REMOVED']]);
  });

  it("deleting the account sends REVOKED ACCOUNT_DELETED to a member's socket and closes it with 4403", async () => {
    const { owner, memberToken } = await memberOfOwnersAccount('member');
    const subscription = await subscribe(memberToken);

    const deleted = await server.graphql(
      'mutation Delete($input: DeleteAccountInput!) { deleteAccount(input: $input) }',
      { input: { accountId: owner.accountId, confirmName: 'Shared Workshop', currentPassword: owner.password } },
      { token: owner.accessToken },
    );

    expect(deleted.errors).toBeUndefined();
    expect((await subscription.closed).code).toBe(4403);
    expect(subscription.events.map((event) => [event.type, event.reason])).toEqual([['REVOKED', 'ACCOUNT_DELETED']]);
  });

  it('deleting the user (from another session) sends REVOKED DELETED and closes with 4401', async () => {
    const user = await signUp(server);
    const otherDevice = await loginTo(server, user, user.accountId);
    const subscription = await subscribe(user.accessToken);

    const deleted = await server.graphql('mutation Delete($input: DeleteMyUserInput!) { deleteMyUser(input: $input) }', { input: { currentPassword: user.password } }, { token: otherDevice.accessToken });

    expect(deleted.errors).toBeUndefined();
    expect((await subscription.closed).code).toBe(4401);
    expect(subscription.events.map((event) => [event.type, event.reason])).toEqual([['REVOKED', 'DELETED']]);
  });

  it('a role change sends ROLE_CHANGED with the new role and the socket stays open', async () => {
    const { owner, member, memberToken } = await memberOfOwnersAccount('member');
    const subscription = await subscribe(memberToken);

    const changed = await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: member.userId, role: 'admin' } }, { token: owner.accessToken });

    expect(changed.errors).toBeUndefined();
    expect(await subscription.nextEvent('ROLE_CHANGED')).toMatchObject({ role: 'admin', sessionId: sessionIdOf(memberToken) });
    expect(await closeWithin(subscription, 300)).toBeNull();
  });
});

describe('sessionEvents over WebSocket: the access token expiring', () => {
  let shortLived: TestServer;
  beforeAll(async () => {
    shortLived = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: '60' });
  });
  afterAll(() => shortLived.close());

  it('sends TOKEN_EXPIRING before the exp, then closes with 4401 at it', async () => {
    const user = await signUp(shortLived);
    // The server's timers read the injected clock when the socket connects: 58 s on, 2 s are left.
    shortLived.clock.advance(58);
    const subscription = await subscribeToSessionEvents(shortLived.url, user.accessToken);
    open.push(subscription);
    const connectedAt = performance.now();

    const warning = await subscription.nextEvent('TOKEN_EXPIRING');
    const close = await subscription.closed;

    expect(close.code).toBe(4401);
    expect(new Date(warning.expiresAt!).getTime()).toBeGreaterThan(shortLived.clock.now().getTime() - 2_000);
    expect(close.at - connectedAt).toBeGreaterThan(1_000);
    expect(close.at - connectedAt).toBeLessThan(3_500);
  });
});
