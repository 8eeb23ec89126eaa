import { LOGIN, ME_ID } from '../support/documents';
import type { AuthPayload } from '../support/documents';
import { addMember, loginTo, signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import type { GraphQLResponse } from '../support/graphql-client';
import { extensionsOf } from '../support/graphql-errors';
import { presentRefreshToken, presentToMe } from '../support/presenting-tokens';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { decodeJwtPayload, opaqueTokenParts, sessionIdOf } from '../support/tokens';

const REFRESH_TOKEN_PATTERN = /^ghr_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9_-]{43}$/;
const RACERS = 8;

/** Refreshes and fails the test on any error: for steps that set up the behaviour under test. */
async function refreshOrThrow(server: TestServer, refreshToken: string, clientId?: string) {
  const response = await presentRefreshToken(server, refreshToken, clientId);
  if (response.errors) throw new Error(`refresh failed: ${JSON.stringify(response.errors)}`);
  return response.data!.refreshToken;
}

/** One server per configuration, started only when a test that needs it runs, and shared by every block that asks for it. */
const servers = new Map<string, Promise<TestServer>>();
afterAll(() => Promise.all([...servers.values()].map(async (server) => (await server).close())));

function useServer(environment: Record<string, string> = {}): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    const key = JSON.stringify(environment);
    if (!servers.has(key)) servers.set(key, startTestServer(environment));
    server = await servers.get(key);
  });
  return () => server!;
}

describe('refreshToken', () => {
  describe('rotation', () => {
    const server = useServer();

    it('returns a new access and refresh token pair and marks the presented token rotated, pointing at its successor', async () => {
      const user = await signUp(server());

      const pair = await refreshOrThrow(server(), user.refreshToken);

      expect(pair.refreshToken).not.toBe(user.refreshToken);
      expect(pair.accessToken).not.toBe(user.accessToken);
      const presented = await server().prisma.refreshToken.findUniqueOrThrow({ where: { id: opaqueTokenParts(user.refreshToken).id } });
      expect(presented.rotatedAt).toBeInstanceOf(Date);
      expect(presented.replacedById).toBe(opaqueTokenParts(pair.refreshToken).id);
      const successor = await server().prisma.refreshToken.findUniqueOrThrow({ where: { id: opaqueTokenParts(pair.refreshToken).id } });
      expect(successor).toMatchObject({ sessionId: presented.sessionId, rotatedAt: null, replacedById: null });
      expect(sessionIdOf(pair.accessToken)).toBe(presented.sessionId);
      const viewer = await presentToMe(server(), pair.accessToken, ME_ID);
      expect(viewer.errors).toBeUndefined();
      expect(viewer.data!.me).toEqual({ id: user.userId });
    });

    it('records the refresh against the user, account, session and client of the token, from the address and user agent that presented it', async () => {
      const user = await signUp(server(), { clientId: 'web', unverified: true });

      const pair = await refreshOrThrow(server(), user.refreshToken, 'web');

      const events = await server().prisma.authEvent.findMany({ where: { userId: user.userId, type: 'TOKEN_REFRESHED' } });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ accountId: user.accountId, sessionId: sessionIdOf(pair.accessToken), clientId: 'web', reason: null });
      expect(events[0]!.ip).toMatch(/127\.0\.0\.1/);
    });

    it("stamps the membership's last use on a refresh at most once a minute (every device of a user shares that row), and on every login", async () => {
      const user = await signUp(server());
      const lastUse = async () =>
        (await server().prisma.membership.findUniqueOrThrow({ where: { userId_accountId: { userId: user.userId, accountId: user.accountId } } })).lastUsedAt;
      const openedAt = await lastUse();
      expect(openedAt).toBeInstanceOf(Date);

      server().clock.advance(30);
      const first = await refreshOrThrow(server(), user.refreshToken);
      expect(await lastUse()).toEqual(openedAt);

      server().clock.advance(31);
      await refreshOrThrow(server(), first.refreshToken);
      const refreshedAt = (await lastUse())!;
      // The test clock runs in real time besides the advances: within a few seconds of 61 s later.
      expect(refreshedAt.getTime() - openedAt!.getTime()).toBeGreaterThanOrEqual(61_000);
      expect(refreshedAt.getTime() - openedAt!.getTime()).toBeLessThan(66_000);

      server().clock.advance(1);
      await loginTo(server(), user, user.accountId);
      expect((await lastUse())!.getTime() - refreshedAt.getTime()).toBeGreaterThanOrEqual(1000);
    });

    it('issues refresh tokens of the form ghr_<uuid>.<secret> whose secret carries 256 bits', async () => {
      const user = await signUp(server());
      const pair = await refreshOrThrow(server(), user.refreshToken);

      for (const token of [user.refreshToken, pair.refreshToken]) {
        expect(token).toMatch(REFRESH_TOKEN_PATTERN);
        expect(Buffer.from(opaqueTokenParts(token).secret, 'base64url')).toHaveLength(32);
      }
    });

    it('stores only a hash of each secret: no row holds the token or its secret', async () => {
      const user = await signUp(server(), { unverified: true });
      const pair = await refreshOrThrow(server(), user.refreshToken);
      const sessionId = sessionIdOf(pair.accessToken);

      const tokens = await server().prisma.refreshToken.findMany({ where: { sessionId } });
      expect(tokens).toHaveLength(2);
      for (const token of [user.refreshToken, pair.refreshToken]) {
        const row = tokens.find((candidate) => candidate.id === opaqueTokenParts(token).id)!;
        expect(row.secretHash).not.toBe(opaqueTokenParts(token).secret);
      }
      const session = await server().prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
      const stored = JSON.stringify([tokens, session]);
      for (const token of [user.refreshToken, pair.refreshToken]) {
        expect(stored).not.toContain(opaqueTokenParts(token).secret);
        expect(stored).not.toContain(token);
      }
    });

    it('refreshes even when an expired access token is sent along as the bearer', async () => {
      const user = await signUp(server());
      server().clock.advance(server().config.tokens.accessTokenTtlSeconds + server().config.tokens.clockToleranceSeconds + 60);

      const response = await server().graphql<{ refreshToken: Pick<AuthPayload, 'accessToken' | 'refreshToken'> }>(
        `mutation Refresh($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken refreshToken } }`,
        { input: { refreshToken: user.refreshToken } },
        { token: user.accessToken },
      );

      expect(response.errors).toBeUndefined();
      expect(response.data!.refreshToken.refreshToken).toMatch(REFRESH_TOKEN_PATTERN);
    });
  });

  describe('reuse detection', () => {
    describe('with no grace window', () => {
      const server = useServer({ REFRESH_REUSE_GRACE_SECONDS: '0' });

      it('refuses a rotated token with REFRESH_TOKEN_REUSED and revokes the whole session', async () => {
        const user = await signUp(server());
        const pair = await refreshOrThrow(server(), user.refreshToken);

        const reused = await presentRefreshToken(server(), user.refreshToken);

        expect(reused.status).toBe(200);
        await expectRevokedForReuse(server(), reused, pair);
      });

      it('refuses a rotated token even when the clock reads a moment before the rotation was stamped', async () => {
        const user = await signUp(server());
        const pair = await refreshOrThrow(server(), user.refreshToken);
        // What a racing request that read the clock first, or a second instance whose clock runs behind, sees.
        server().clock.advance(-1);

        const reused = await presentRefreshToken(server(), user.refreshToken);
        server().clock.advance(1);

        expect(extensionsOf(reused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REFRESH_TOKEN_REUSED' });
        expect(extensionsOf(await presentRefreshToken(server(), pair.refreshToken))).toMatchObject({ code: 'UNAUTHENTICATED' });
      });

      it('lets exactly one of several simultaneous refreshes with the same token succeed and refuses the rest cleanly', async () => {
        const user = await signUp(server(), { unverified: true });

        const responses = await Promise.all(Array.from({ length: RACERS }, () => presentRefreshToken(server(), user.refreshToken)));

        expect(responses.map((response) => response.status)).toEqual(Array(RACERS).fill(200));
        const winners = responses.filter((response) => !response.errors);
        expect(winners).toHaveLength(1);
        for (const loser of responses.filter((response) => response.errors)) {
          expect(extensionsOf(loser)).toMatchObject({ code: 'UNAUTHENTICATED' });
        }
        const successors = await server().prisma.refreshToken.count({ where: { sessionId: sessionIdOf(user.accessToken) } });
        expect(successors).toBe(2);
      });
    });

    describe('with the default grace window', () => {
      const server = useServer();

      it('refuses a rotated token presented after the grace window with REFRESH_TOKEN_REUSED and revokes the session', async () => {
        const user = await signUp(server());
        const pair = await refreshOrThrow(server(), user.refreshToken);
        server().clock.advance(server().config.sessions.refreshReuseGraceSeconds + 1);

        const reused = await presentRefreshToken(server(), user.refreshToken);

        await expectRevokedForReuse(server(), reused, pair);
      });

      it('answers the just-rotated token inside the grace window with the same successor pair and keeps the session', async () => {
        const user = await signUp(server(), { unverified: true });
        const first = await refreshOrThrow(server(), user.refreshToken);
        server().clock.advance(server().config.sessions.refreshReuseGraceSeconds / 2);

        const again = await refreshOrThrow(server(), user.refreshToken);

        expect(again.refreshToken).toBe(first.refreshToken);
        // HS256 is deterministic and the claims are those of the rotation, so the access token is the same too.
        expect(again.accessToken).toBe(first.accessToken);
        expect(again.refreshExpiresAt).toBe(first.refreshExpiresAt);
        const sessionId = sessionIdOf(first.accessToken);
        expect(await server().prisma.refreshToken.count({ where: { sessionId } })).toBe(2);
        expect(await server().prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ revokedAt: null });
        const next = await presentRefreshToken(server(), first.refreshToken);
        expect(next.errors).toBeUndefined();
      });

      it('treats the rotated token as reused, even inside the grace window, once its successor has itself been used', async () => {
        const user = await signUp(server());
        const first = await refreshOrThrow(server(), user.refreshToken);
        const second = await refreshOrThrow(server(), first.refreshToken);

        const reused = await presentRefreshToken(server(), user.refreshToken);

        expect(extensionsOf(reused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REFRESH_TOKEN_REUSED' });
        expect(extensionsOf(await presentRefreshToken(server(), second.refreshToken))).toMatchObject({ code: 'UNAUTHENTICATED' });
      });

      it('hands every one of several simultaneous refreshes with the same token the same successor', async () => {
        const user = await signUp(server(), { unverified: true });

        const responses = await Promise.all(Array.from({ length: RACERS }, () => presentRefreshToken(server(), user.refreshToken)));

        expect(responses.map((response) => response.status)).toEqual(Array(RACERS).fill(200));
        expect(responses.map((response) => response.errors)).toEqual(Array(RACERS).fill(undefined));
        const refreshTokens = new Set(responses.map((response) => response.data!.refreshToken.refreshToken));
        expect(refreshTokens.size).toBe(1);
        const sessionId = sessionIdOf(user.accessToken);
        expect(await server().prisma.refreshToken.count({ where: { sessionId } })).toBe(2);
        expect(await server().prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ revokedAt: null });
        const [successor] = refreshTokens;
        expect((await presentRefreshToken(server(), successor!)).errors).toBeUndefined();
      });
    });
  });

  describe('client binding', () => {
    const server = useServer();

    it('refreshes a session started with clientId "web" when "web" is presented again', async () => {
      const user = await signUp(server(), { clientId: 'web' });

      const pair = await refreshOrThrow(server(), user.refreshToken, 'web');

      expect(decodeJwtPayload(pair.accessToken).client_id).toBe('web');
    });

    it.each([
      ['another client id', 'web', 'mobile'],
      ['no client id', 'web', undefined],
      ['a client id for a session started without one', undefined, 'web'],
    ])('refuses %s with CLIENT_MISMATCH and leaves the session usable', async (_case, startedWith, presented) => {
      const user = await signUp(server(), startedWith === undefined ? {} : { clientId: startedWith });

      const refused = await presentRefreshToken(server(), user.refreshToken, presented);

      expect(refused.status).toBe(200);
      expect(extensionsOf(refused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CLIENT_MISMATCH' });
      const session = await server().prisma.session.findUniqueOrThrow({ where: { id: sessionIdOf(user.accessToken) } });
      expect(session.revokedAt).toBeNull();
      const token = await server().prisma.refreshToken.findUniqueOrThrow({ where: { id: opaqueTokenParts(user.refreshToken).id } });
      expect(token.rotatedAt).toBeNull();
      expect((await presentRefreshToken(server(), user.refreshToken, startedWith)).errors).toBeUndefined();
    });
  });

  describe('expiry', () => {
    const IDLE_SECONDS = 3600;
    const ABSOLUTE_SECONDS = 7200;
    const server = useServer({ SESSION_IDLE_TTL_SECONDS: String(IDLE_SECONDS), SESSION_ABSOLUTE_TTL_SECONDS: String(ABSOLUTE_SECONDS) });

    it('refuses with SESSION_EXPIRED once the session has been idle longer than the idle lifetime', async () => {
      const user = await signUp(server());
      server().clock.advance(IDLE_SECONDS + 1);

      const refused = await presentRefreshToken(server(), user.refreshToken);

      expect(extensionsOf(refused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' });
    });

    it('pushes the idle expiry forward with each refresh inside the idle window', async () => {
      const user = await signUp(server());
      const sessionId = sessionIdOf(user.accessToken);
      const started = await server().prisma.session.findUniqueOrThrow({ where: { id: sessionId } });

      server().clock.advance(IDLE_SECONDS - 600);
      const first = await refreshOrThrow(server(), user.refreshToken);
      expect(new Date(first.refreshExpiresAt).getTime()).toBeGreaterThan(started.idleExpiresAt.getTime());

      // Past the original idle expiry, but inside the one the refresh granted.
      server().clock.advance(1200);
      const second = await refreshOrThrow(server(), first.refreshToken);
      expect(new Date(second.refreshExpiresAt).getTime()).toBeGreaterThan(new Date(first.refreshExpiresAt).getTime());
      const session = await server().prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
      expect(session.idleExpiresAt.toISOString()).toBe(second.refreshExpiresAt);
    });

    it('never extends the session beyond its absolute lifetime, however often it is refreshed', async () => {
      const user = await signUp(server());
      const sessionId = sessionIdOf(user.accessToken);
      const { absoluteExpiresAt } = await server().prisma.session.findUniqueOrThrow({ where: { id: sessionId } });

      server().clock.advance(3000);
      const first = await refreshOrThrow(server(), user.refreshToken);
      expect(new Date(first.refreshExpiresAt).getTime()).toBeLessThan(absoluteExpiresAt.getTime());
      server().clock.advance(3000);
      const second = await refreshOrThrow(server(), first.refreshToken);
      // A full idle lifetime from now would end after the absolute expiry, so it stops there.
      expect(second.refreshExpiresAt).toBe(absoluteExpiresAt.toISOString());
      const session = await server().prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
      expect(session.idleExpiresAt).toEqual(absoluteExpiresAt);

      // Refreshed well inside the idle window, yet past the absolute lifetime.
      server().clock.advance(ABSOLUTE_SECONDS - 6000 + 1);
      const refused = await presentRefreshToken(server(), second.refreshToken);
      expect(extensionsOf(refused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' });
    });
  });

  describe('membership changes', () => {
    const server = useServer();

    async function memberSessionInOwnersAccount(role = 'member') {
      const owner = await signUp(server(), { accountName: 'Shared Workshop' });
      const member = await signUp(server(), { accountName: 'Own Studio' });
      await addMember(server(), owner, member, role);
      const session = await loginTo(server(), member, owner.accountId);
      return { owner, member, session };
    }

    it('stops a removed member from refreshing into the account and ends their access token there at once', async () => {
      const { owner, member, session } = await memberSessionInOwnersAccount();

      const removed = await server().graphql(
        `mutation Remove($input: RemoveMemberInput!) { removeMember(input: $input) }`,
        { input: { accountId: owner.accountId, userId: member.userId } },
        { token: owner.accessToken },
      );
      expect(removed.errors).toBeUndefined();

      expect(extensionsOf(await presentRefreshToken(server(), session.refreshToken))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(extensionsOf(await presentToMe(server(), session.accessToken, ME_ID))).toMatchObject({ code: 'UNAUTHENTICATED' });
      const row = await server().prisma.session.findUniqueOrThrow({ where: { id: sessionIdOf(session.accessToken) } });
      expect(row.revokedReason).toBe('MEMBERSHIP_REMOVED');
      // Only the session in that account ends: the member's own account is untouched.
      expect((await presentRefreshToken(server(), member.refreshToken)).errors).toBeUndefined();
    });

    it('refuses NOT_A_MEMBER and ends the session when its membership row is gone though the session was left live', async () => {
      // removeMember revokes the sessions with the row; this is the refresh's own check, for any other way a membership disappears.
      const { owner, member, session } = await memberSessionInOwnersAccount();
      await server().prisma.membership.delete({ where: { userId_accountId: { userId: member.userId, accountId: owner.accountId } } });

      const refused = await presentRefreshToken(server(), session.refreshToken);

      expect(extensionsOf(refused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'NOT_A_MEMBER' });
      const row = await server().prisma.session.findUniqueOrThrow({ where: { id: sessionIdOf(session.accessToken) } });
      expect(row.revokedReason).toBe('MEMBERSHIP_REMOVED');
      const token = await server().prisma.refreshToken.findUniqueOrThrow({ where: { id: opaqueTokenParts(session.refreshToken).id } });
      expect(token.rotatedAt).toBeNull();
    });

    it('puts a changed role into the next refreshed access token', async () => {
      const { owner, member, session } = await memberSessionInOwnersAccount('member');
      expect(decodeJwtPayload(session.accessToken).role).toBe('member');

      const changed = await server().graphql(
        `mutation SetRole($input: SetMemberRoleInput!) { setMemberRole(input: $input) { role } }`,
        { input: { accountId: owner.accountId, userId: member.userId, role: 'admin' } },
        { token: owner.accessToken },
      );
      expect(changed.errors).toBeUndefined();

      const pair = await refreshOrThrow(server(), session.refreshToken);
      expect(pair.role).toBe('admin');
      expect(decodeJwtPayload(pair.accessToken).role).toBe('admin');
      expect(pair.access).toEqual(expect.arrayContaining([{ feature: 'members', access: 'crud' }]));
    });
  });

  describe('tokens that are not refresh tokens', () => {
    const server = useServer();

    async function selectionTokenOf(user: SignedUpUser): Promise<string> {
      const owner = await signUp(server());
      await addMember(server(), owner, user, 'member');
      const response = await server().graphql(LOGIN, { input: { email: user.email, password: user.password } });
      if (response.errors) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
      return response.data!.login.selectionToken!;
    }

    const tamper = (token: string): string => {
      const last = token.at(-2) === 'A' ? 'B' : 'A';
      return `${token.slice(0, -2)}${last}${token.at(-1)}`;
    };

    it.each<[string, (user: SignedUpUser) => Promise<string> | string]>([
      ['garbage', () => 'not-a-token'],
      ['an empty string', () => ''],
      ['a malformed ghr_ token', () => 'ghr_123.abc'],
      ['a well-formed token nobody issued', () => 'ghr_00000000-0000-4000-8000-000000000000.' + 'A'.repeat(43)],
      ['an account selection token', (user) => selectionTokenOf(user)],
      ['an account selection token relabelled as a refresh token', async (user) => (await selectionTokenOf(user)).replace(/^ghs_/, 'ghr_')],
      ['an access token', (user) => user.accessToken],
      ['a refresh token with a tampered secret', (user) => tamper(user.refreshToken)],
    ])('refuses %s with INVALID_TOKEN and leaves the session alone', async (_case, presentedFor) => {
      const user = await signUp(server());
      const presented = await presentedFor(user);

      const refused = await presentRefreshToken(server(), presented);

      expect(refused.status).toBe(200);
      expect(extensionsOf(refused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
      expect((await presentRefreshToken(server(), user.refreshToken)).errors).toBeUndefined();
    });
  });
});

/** Reuse was answered REFRESH_TOKEN_REUSED and the whole session is gone: its newest pair works no more. */
async function expectRevokedForReuse(server: TestServer, reused: GraphQLResponse<unknown>, pair: { accessToken: string; refreshToken: string }) {
  expect(extensionsOf(reused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REFRESH_TOKEN_REUSED' });
  const session = await server.prisma.session.findUniqueOrThrow({ where: { id: sessionIdOf(pair.accessToken) } });
  expect(session.revokedAt).toBeInstanceOf(Date);
  expect(session.revokedReason).toBe('REFRESH_TOKEN_REUSED');
  expect(extensionsOf(await presentRefreshToken(server, pair.refreshToken))).toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(extensionsOf(await presentToMe(server, pair.accessToken, ME_ID))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
}
