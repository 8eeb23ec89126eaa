import { ACCEPT_INVITATION, LOGIN, LOGOUT, REFRESH, SET_ROLE, SIGN_UP, VERIFY_EMAIL } from '../support/documents';
import { loginFrom, loginTo, signUp, strongPassword, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import type { GraphQLResponse } from '../support/graphql-client';
import { extensionsOf } from '../support/graphql-errors';
import { mailedToken } from '../support/outbox';
import { presentRefreshToken } from '../support/presenting-tokens';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { sessionIdOf } from '../support/tokens';

const AUTH_EVENTS = `query Events($accountId: ID!, $first: Int, $after: String) {
  authEvents(accountId: $accountId, first: $first, after: $after) {
    edges { cursor node { id type reason userId accountId sessionId clientId ip userAgent createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const INVITE = typedDocument<{ inviteMember: { id: string } }>(`mutation Invite($input: InviteMemberInput!) { inviteMember(input: $input) { id } }`);

const USER_AGENT = 'AuditBrowser/3.0 (X11; Linux x86_64)';
const CLIENT_ID = 'web';
const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$/;

interface EventNode {
  id: string;
  type: string;
  reason: string | null;
  userId: string | null;
  accountId: string | null;
  sessionId: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}
interface EventPage {
  edges: { cursor: string; node: EventNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const fromBrowser = { headers: { 'user-agent': USER_AGENT } };

const authEvents = (accessToken: string, variables: { accountId: string; first?: number; after?: string }) =>
  server.graphql<{ authEvents: EventPage }>(AUTH_EVENTS, variables, { token: accessToken });

async function eventPage(accessToken: string, variables: { accountId: string; first?: number; after?: string }): Promise<EventPage> {
  const response = await authEvents(accessToken, variables);
  if (response.errors) throw new Error(`authEvents failed: ${JSON.stringify(response.errors)}`);
  return response.data!.authEvents;
}

function succeeded<T extends GraphQLResponse<unknown>>(response: T): T {
  if (response.errors) throw new Error(`request failed: ${JSON.stringify(response.errors)}`);
  return response;
}

/**
 * Everything an owner's account goes through, each step a second after the last so the log's order
 * is the steps' order: sign-up (verified, then refreshed) from a browser, a wrong password, a login,
 * a refresh, a logout, a colleague invited as member (who accepts) and made admin. Returns the secrets it used.
 */
async function ownerWithHistory() {
  const email = uniqueEmail('owner');
  const password = strongPassword();
  const signedUp = succeeded(await server.graphql(SIGN_UP, { input: { email, password, clientId: CLIENT_ID } }, fromBrowser)).data!.signUp;
  const verificationToken = await mailedToken(server, email, 'verify-email');
  succeeded(await server.graphql(VERIFY_EMAIL, { token: verificationToken }, fromBrowser));
  server.clock.advance(1);
  const verified = succeeded(await server.graphql(REFRESH, { input: { refreshToken: signedUp.refreshToken, clientId: CLIENT_ID } }, fromBrowser))
    .data!.refreshToken;
  const owner: SignedUpUser = {
    email,
    password,
    userId: signedUp.user.id,
    accountId: signedUp.account.id,
    accessToken: verified.accessToken,
    refreshToken: verified.refreshToken,
  };
  const colleague = await signUp(server);

  server.clock.advance(1);
  const wrongPassword = `${password}-wrong`;
  const failed = await server.graphql(LOGIN, { input: { email, password: wrongPassword, clientId: CLIENT_ID } }, fromBrowser);
  expect(extensionsOf(failed)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
  server.clock.advance(1);
  const login = await loginFrom(server, owner, { clientId: CLIENT_ID, userAgent: USER_AGENT });
  server.clock.advance(1);
  const refreshed = succeeded(await server.graphql(REFRESH, { input: { refreshToken: login.refreshToken, clientId: CLIENT_ID } }, fromBrowser))
    .data!.refreshToken;
  server.clock.advance(1);
  succeeded(await server.graphql(LOGOUT, {}, { token: refreshed.accessToken, ...fromBrowser }));
  server.clock.advance(1);
  const invitationId = succeeded(
    await server.graphql(INVITE, { input: { accountId: owner.accountId, email: colleague.email, role: 'member' } }, { token: owner.accessToken, ...fromBrowser }),
  ).data!.inviteMember.id;
  server.clock.advance(1);
  const invitationToken = await mailedToken(server, colleague.email, 'accept-invitation');
  const accepted = succeeded(await server.graphql(ACCEPT_INVITATION, { token: invitationToken }, { token: colleague.accessToken })).data!.acceptInvitation;
  server.clock.advance(1);
  succeeded(
    await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: colleague.userId, role: 'admin' } }, { token: owner.accessToken, ...fromBrowser }),
  );

  const secrets = [
    password,
    wrongPassword,
    colleague.password,
    verificationToken,
    signedUp.accessToken,
    signedUp.refreshToken,
    verified.accessToken,
    verified.refreshToken,
    login.accessToken,
    login.refreshToken,
    refreshed.accessToken,
    refreshed.refreshToken,
    colleague.accessToken,
    colleague.refreshToken,
    invitationToken,
    accepted.accessToken,
    accepted.refreshToken,
  ];
  return { owner, colleague, invitationId, loginSessionId: sessionIdOf(login.accessToken), secrets };
}

describe('authEvents', () => {
  it("lists the account's security events to its owner, newest first", async () => {
    const { owner } = await ownerWithHistory();

    const page = await eventPage(owner.accessToken, { accountId: owner.accountId });

    expect(page.edges.map((edge) => edge.node.type)).toEqual([
      'MEMBER_ROLE_CHANGED',
      'INVITATION_ACCEPTED',
      'MEMBER_ADDED',
      'INVITATION_SENT',
      'LOGOUT',
      'TOKEN_REFRESHED',
      'LOGIN_SUCCEEDED',
      'TOKEN_REFRESHED',
      'SIGN_UP',
    ]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    const times = page.edges.map((edge) => new Date(edge.node.createdAt).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(page.edges.every((edge) => edge.node.accountId === owner.accountId)).toBe(true);
  });

  it('records who, in which account, from which address, user agent and client each event came', async () => {
    const { owner, loginSessionId } = await ownerWithHistory();

    const page = await eventPage(owner.accessToken, { accountId: owner.accountId });

    const login = page.edges.find((edge) => edge.node.type === 'LOGIN_SUCCEEDED')!.node;
    expect(login).toMatchObject({ userId: owner.userId, accountId: owner.accountId, sessionId: loginSessionId, clientId: CLIENT_ID, userAgent: USER_AGENT });
    expect(login.ip).toMatch(LOOPBACK);
    expect(Number.isNaN(Date.parse(login.createdAt))).toBe(false);
    for (const type of ['SIGN_UP', 'TOKEN_REFRESHED', 'INVITATION_SENT', 'MEMBER_ROLE_CHANGED']) {
      const event = page.edges.find((edge) => edge.node.type === type)?.node;
      expect(event).toMatchObject({ type, userId: owner.userId, accountId: owner.accountId, userAgent: USER_AGENT });
      expect(event?.ip).toMatch(LOOPBACK);
    }
  });

  it('records a logout against the user, the account and the session it ended', async () => {
    const { owner, loginSessionId } = await ownerWithHistory();

    const logouts = await server.prisma.authEvent.findMany({ where: { userId: owner.userId, type: 'LOGOUT' } });

    expect(logouts).toHaveLength(1);
    expect(logouts[0]).toMatchObject({ reason: 'LOGOUT', sessionId: loginSessionId, accountId: owner.accountId, userAgent: USER_AGENT });
  });

  it('records a wrong password as LOGIN_FAILED with reason WRONG_PASSWORD, the user, address, user agent and client', async () => {
    const { owner } = await ownerWithHistory();

    const failures = await server.prisma.authEvent.findMany({ where: { userId: owner.userId, type: 'LOGIN_FAILED' } });

    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ reason: 'WRONG_PASSWORD', accountId: null, clientId: CLIENT_ID, userAgent: USER_AGENT });
    expect(failures[0]!.ip).toMatch(LOOPBACK);
    expect(failures[0]!.createdAt).toBeInstanceOf(Date);
  });

  it('records the member changes with the role given and the users they concern', async () => {
    const { owner, colleague, invitationId } = await ownerWithHistory();

    const changes = await server.prisma.authEvent.findMany({
      where: { accountId: owner.accountId, type: { in: ['INVITATION_SENT', 'MEMBER_ADDED', 'MEMBER_ROLE_CHANGED'] } },
      orderBy: { createdAt: 'asc' },
    });

    expect(changes.map((event) => [event.type, event.userId, event.details])).toEqual([
      ['INVITATION_SENT', owner.userId, { invitationId, email: colleague.email, role: 'member' }],
      ['MEMBER_ADDED', colleague.userId, { role: 'member', invitationId, invitedByUserId: owner.userId }],
      ['MEMBER_ROLE_CHANGED', owner.userId, { targetUserId: colleague.userId, from: 'member', to: 'admin' }],
    ]);
  });

  it('never stores a password, a token or a token secret in any event', async () => {
    const { secrets } = await ownerWithHistory();

    const everything = JSON.stringify(await server.prisma.authEvent.findMany());

    const tokenSecrets = secrets.filter((secret) => /^gh[a-z]_/.test(secret)).map((token) => token.split('.')[1]!);
    for (const secret of [...secrets, ...tokenSecrets]) expect(everything).not.toContain(secret);
  });

  it('pages with cursors: every event once, in order, and hasNextPage false on the last page', async () => {
    const { owner } = await ownerWithHistory();
    const all = (await eventPage(owner.accessToken, { accountId: owner.accountId, first: 100 })).edges.map((edge) => edge.node.id);

    const seen: string[] = [];
    const pages: EventPage[] = [];
    let after: string | undefined;
    do {
      const page = await eventPage(owner.accessToken, { accountId: owner.accountId, first: 2, ...(after ? { after } : {}) });
      pages.push(page);
      seen.push(...page.edges.map((edge) => edge.node.id));
      after = page.pageInfo.endCursor ?? undefined;
      if (!page.pageInfo.hasNextPage) break;
    } while (pages.length < 20);

    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages.slice(0, -1).every((page) => page.edges.length === 2 && page.pageInfo.hasNextPage)).toBe(true);
    expect(pages.at(-1)!.pageInfo.hasNextPage).toBe(false);
    expect(pages.at(-1)!.pageInfo.endCursor).toBe(pages.at(-1)!.edges.at(-1)!.cursor);
  });

  it.each([
    ['not a cursor at all', 'not-a-cursor'],
    ['well-formed JSON of the wrong shape', Buffer.from(JSON.stringify({ createdAt: 'yesterday' })).toString('base64url')],
    ['a cursor with a bad date', Buffer.from(JSON.stringify(['yesterday', '00000000-0000-4000-8000-000000000000'])).toString('base64url')],
    // Valid ISO 8601 that PostgreSQL's timestamp cannot hold (it has no year 0): was a 22008 database error.
    ['a cursor in year 0', Buffer.from(JSON.stringify(['0000-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url')],
    ['a cursor in year 9999 and beyond what was written', Buffer.from(JSON.stringify(['9999-12-31T23:59:59.999Z', '00000000-0000-4000-8000-000000000000', 'extra'])).toString('base64url')],
    ['a cursor this connection did not write (no milliseconds)', Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url')],
  ])('refuses a bad cursor (%s) with BAD_USER_INPUT on after', async (_case, after) => {
    const owner = await signUp(server);

    const response = await authEvents(owner.accessToken, { accountId: owner.accountId, after });

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it.each([1000, 0, -1])('refuses first: %i with BAD_USER_INPUT on first', async (first) => {
    const owner = await signUp(server);

    const response = await authEvents(owner.accessToken, { accountId: owner.accountId, first });

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('is refused to a plain member, who has no audit:r', async () => {
    const { owner, colleague } = await ownerWithHistory();
    await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: colleague.userId, role: 'member' } }, { token: owner.accessToken });
    const asMember = await loginTo(server, colleague, owner.accountId);
    expect(asMember.role).toBe('member');

    const response = await authEvents(asMember.accessToken, { accountId: owner.accountId });

    expect(extensionsOf(response)).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_PERMISSION' });
    expect(response.data?.authEvents ?? null).toBeNull();
  });

  it('is shown to an admin, who has audit:r', async () => {
    const { owner, colleague } = await ownerWithHistory();
    const asAdmin = await loginTo(server, colleague, owner.accountId);
    expect(asAdmin.role).toBe('admin');

    const page = await eventPage(asAdmin.accessToken, { accountId: owner.accountId });

    expect(page.edges.map((edge) => edge.node.type)).toEqual(expect.arrayContaining(['SIGN_UP', 'MEMBER_ADDED', 'MEMBER_ROLE_CHANGED']));
  });

  it("refuses another account's id with FORBIDDEN: no reading across tenants", async () => {
    const { owner } = await ownerWithHistory();
    const outsider = await signUp(server);

    const response = await authEvents(outsider.accessToken, { accountId: owner.accountId });

    expect(extensionsOf(response)).toMatchObject({ code: 'FORBIDDEN' });
    expect(response.data?.authEvents ?? null).toBeNull();
  });

  it('refuses a member of two accounts reading the one their session is not in', async () => {
    const { owner, colleague } = await ownerWithHistory();

    const response = await authEvents(colleague.accessToken, { accountId: owner.accountId });

    expect(colleague.accountId).not.toBe(owner.accountId);
    expect(extensionsOf(response)).toMatchObject({ code: 'FORBIDDEN', field: 'accountId' });
  });

  it('is refused to an owner whose email is not verified yet', async () => {
    const user = await signUp(server, { unverified: true });

    const response = await authEvents(user.accessToken, { accountId: user.accountId });

    expect(extensionsOf(response)).toMatchObject({ code: 'FORBIDDEN', reason: 'EMAIL_NOT_VERIFIED' });
  });

  it('leaves out the events of other accounts', async () => {
    const { owner, colleague } = await ownerWithHistory();

    const page = await eventPage(owner.accessToken, { accountId: owner.accountId });

    const colleagueOwnSignUp = await server.prisma.authEvent.findFirstOrThrow({ where: { type: 'SIGN_UP', userId: colleague.userId } });
    expect(page.edges.map((edge) => edge.node.id)).not.toContain(colleagueOwnSignUp.id);
  });
});

describe('refresh-token reuse', () => {
  it('is recorded as REFRESH_TOKEN_REUSED for the session it ended', async () => {
    const user = await signUp(server);
    succeeded(await presentRefreshToken(server, user.refreshToken));
    server.clock.advance(server.config.sessions.refreshReuseGraceSeconds + 1);

    const reused = await presentRefreshToken(server, user.refreshToken);

    expect(extensionsOf(reused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REFRESH_TOKEN_REUSED' });
    const events = await server.prisma.authEvent.findMany({ where: { userId: user.userId, type: 'REFRESH_TOKEN_REUSED' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ accountId: user.accountId, sessionId: sessionIdOf(user.accessToken) });
    const again = await loginTo(server, user, user.accountId);
    const page = await eventPage(again.accessToken, { accountId: user.accountId });
    expect(page.edges.map((edge) => edge.node.type)).toContain('REFRESH_TOKEN_REUSED');
  });

  it('records the address and user agent the reused token was presented from', async () => {
    const user = await signUp(server);
    succeeded(await presentRefreshToken(server, user.refreshToken));
    server.clock.advance(server.config.sessions.refreshReuseGraceSeconds + 1);

    await server.graphql(REFRESH, { input: { refreshToken: user.refreshToken } }, fromBrowser);

    const event = await server.prisma.authEvent.findFirstOrThrow({ where: { userId: user.userId, type: 'REFRESH_TOKEN_REUSED' } });
    expect(event.userAgent).toBe(USER_AGENT);
    expect(event.ip).toMatch(LOOPBACK);
  });
});
