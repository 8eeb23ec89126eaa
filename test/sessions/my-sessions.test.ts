import { LOGOUT } from '../support/documents';
import { loginFrom, signUp } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { extensionsOf } from '../support/graphql-errors';
import { presentRefreshToken, presentToMe } from '../support/presenting-tokens';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { sessionIdOf } from '../support/tokens';

const REVOKE_SESSION = `mutation Revoke($id: ID!) { revokeSession(id: $id) }`;

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const IPHONE_APP = 'GatehouseApp/2.1 (iPhone; iOS 18.0)';

interface ListedSession {
  id: string;
  clientId: string | null;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
  role: string;
  account: { id: string };
}

const MY_SESSIONS = typedDocument<{ mySessions: ListedSession[] }>(`query MySessions {
  mySessions { id clientId userAgent ip createdAt lastUsedAt current role account { id } }
}`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const revokeSession = (id: string, accessToken: string) => server.graphql(REVOKE_SESSION, { id }, { token: accessToken });

async function mySessions(accessToken: string): Promise<ListedSession[]> {
  const response = await server.graphql(MY_SESSIONS, {}, { token: accessToken });
  if (response.errors) throw new Error(`mySessions failed: ${JSON.stringify(response.errors)}`);
  return response.data!.mySessions;
}

/** A verified user logged in twice more: from a browser (clientId "web") and from a phone app ("ios"). */
async function userOnTwoClients() {
  const user = await signUp(server);
  const web = await loginFrom(server, user, { clientId: 'web', userAgent: FIREFOX });
  const ios = await loginFrom(server, user, { clientId: 'ios', userAgent: IPHONE_APP });
  return { user, web, ios };
}

describe('mySessions', () => {
  it('lists each live session with its client, user agent, address and times, and marks only the bearer’s as current', async () => {
    const { user, web, ios } = await userOnTwoClients();

    const sessions = await mySessions(web.accessToken);

    expect(sessions.map((session) => session.id).sort()).toEqual(
      [sessionIdOf(user.accessToken), sessionIdOf(web.accessToken), sessionIdOf(ios.accessToken)].sort(),
    );
    const byId = new Map(sessions.map((session) => [session.id, session]));
    expect(byId.get(sessionIdOf(web.accessToken))).toMatchObject({ clientId: 'web', userAgent: FIREFOX, current: true, role: 'owner', account: { id: user.accountId } });
    expect(byId.get(sessionIdOf(ios.accessToken))).toMatchObject({ clientId: 'ios', userAgent: IPHONE_APP, current: false });
    expect(byId.get(sessionIdOf(user.accessToken))).toMatchObject({ clientId: null, current: false });
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    for (const session of sessions) {
      expect(session.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      const row = await server.prisma.session.findUniqueOrThrow({ where: { id: session.id } });
      expect(new Date(session.createdAt).toISOString()).toBe(row.createdAt.toISOString());
      expect(new Date(session.lastUsedAt).toISOString()).toBe(row.lastUsedAt.toISOString());
    }
  });

  it('marks as current whichever session asks', async () => {
    const { web, ios } = await userOnTwoClients();

    const sessions = await mySessions(ios.accessToken);

    expect(sessions.filter((session) => session.current).map((session) => session.id)).toEqual([sessionIdOf(ios.accessToken)]);
    expect(sessions.find((session) => session.id === sessionIdOf(web.accessToken))?.current).toBe(false);
  });

  it('shows a refresh as a later lastUsedAt', async () => {
    const { web, ios } = await userOnTwoClients();
    const before = (await mySessions(web.accessToken)).find((session) => session.id === sessionIdOf(ios.accessToken))!;
    server.clock.advance(60);

    await presentRefreshToken(server, ios.refreshToken, 'ios');

    const after = (await mySessions(web.accessToken)).find((session) => session.id === sessionIdOf(ios.accessToken))!;
    expect(new Date(after.lastUsedAt).getTime()).toBeGreaterThan(new Date(before.lastUsedAt).getTime());
    expect(after.createdAt).toBe(before.createdAt);
  });

  it('leaves out sessions that were logged out', async () => {
    const { user, web, ios } = await userOnTwoClients();
    await server.graphql(LOGOUT, {}, { token: ios.accessToken });

    const sessions = await mySessions(web.accessToken);

    expect(sessions.map((session) => session.id).sort()).toEqual([sessionIdOf(user.accessToken), sessionIdOf(web.accessToken)].sort());
  });

  it("lists only the caller's own sessions", async () => {
    const { web } = await userOnTwoClients();
    const stranger = await signUp(server);

    const sessions = await mySessions(stranger.accessToken);

    expect(sessions.map((session) => session.id)).toEqual([sessionIdOf(stranger.accessToken)]);
    expect(sessions.map((session) => session.id)).not.toContain(sessionIdOf(web.accessToken));
  });

  it('needs a signed-in user', async () => {
    const response = await server.graphql(MY_SESSIONS, {}, { token: null });

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('revokeSession', () => {
  it('ends another of the caller’s own sessions: its tokens stop working and it leaves the list', async () => {
    const { user, web, ios } = await userOnTwoClients();

    const response = await revokeSession(sessionIdOf(ios.accessToken), web.accessToken);

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ revokeSession: true });
    expect(extensionsOf(await presentToMe(server, ios.accessToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    expect(extensionsOf(await presentRefreshToken(server, ios.refreshToken, 'ios'))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    const row = await server.prisma.session.findUniqueOrThrow({ where: { id: sessionIdOf(ios.accessToken) } });
    expect(row.revokedReason).toBe('REVOKED_BY_USER');
    expect((await mySessions(web.accessToken)).map((session) => session.id).sort()).toEqual(
      [sessionIdOf(user.accessToken), sessionIdOf(web.accessToken)].sort(),
    );
    expect(extensionsOf(await presentToMe(server, web.accessToken))).toBeUndefined();
    expect(extensionsOf(await presentToMe(server, user.accessToken))).toBeUndefined();
  });

  it('can end the session it is called with', async () => {
    const { web } = await userOnTwoClients();

    const response = await revokeSession(sessionIdOf(web.accessToken), web.accessToken);

    expect(response.data).toEqual({ revokeSession: true });
    expect(extensionsOf(await presentToMe(server, web.accessToken))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  });

  it("answers someone else's session id with NOT_FOUND, exactly as an unknown id, and that session keeps working", async () => {
    const victim = await userOnTwoClients();
    const attacker = await signUp(server);
    const victimSessionId = sessionIdOf(victim.ios.accessToken);

    const foreign = await revokeSession(victimSessionId, attacker.accessToken);
    const unknown = await revokeSession('00000000-0000-4000-8000-000000000000', attacker.accessToken);

    expect(extensionsOf(foreign)).toMatchObject({ code: 'NOT_FOUND' });
    expect(extensionsOf(foreign)).toEqual(extensionsOf(unknown));
    expect(foreign.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
    expect((await server.prisma.session.findUniqueOrThrow({ where: { id: victimSessionId } })).revokedAt).toBeNull();
    expect(extensionsOf(await presentToMe(server, victim.ios.accessToken))).toBeUndefined();
    expect((await presentRefreshToken(server, victim.ios.refreshToken, 'ios')).errors).toBeUndefined();
  });

  it('answers an already ended session with NOT_FOUND', async () => {
    const { web, ios } = await userOnTwoClients();
    await revokeSession(sessionIdOf(ios.accessToken), web.accessToken);

    const again = await revokeSession(sessionIdOf(ios.accessToken), web.accessToken);

    expect(extensionsOf(again)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a malformed id with BAD_USER_INPUT on id and ends nothing', async () => {
    const { user, web } = await userOnTwoClients();

    const response = await revokeSession('not-a-session-id', web.accessToken);

    expect(extensionsOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(await server.prisma.session.count({ where: { userId: user.userId, revokedAt: { not: null } } })).toBe(0);
  });

  it('needs a signed-in user', async () => {
    const { ios } = await userOnTwoClients();

    const response = await server.graphql(REVOKE_SESSION, { id: sessionIdOf(ios.accessToken) }, { token: null });

    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(extensionsOf(await presentToMe(server, ios.accessToken))).toBeUndefined();
  });
});
