import { findBearerSessions } from '../../src/sessions/bearer-session.sql';
import { findRefreshToken } from '../../src/sessions/refresh-rotation.sql';
import { signUp } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { sessionIdOf } from '../support/tokens';

// The bearer check and refresh rotation read in plain SQL (src/database/hot-path-sql.ts), outside Prisma: what
// they read must be exactly what Prisma reads of the same rows, every column and type, on either driver.
// The suite runs off UTC (jest.config.js), so a timestamp read as local time shows here.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const findBearerSession = async (sessionId: string) => (await findBearerSessions(server.app.database.hotPathSql, [sessionId]))[0];

it('reads a session and its user exactly as Prisma does, every nullable column filled', async () => {
  const user = await signUp(server);
  const sessionId = sessionIdOf(user.accessToken);
  await server.prisma.user.update({
    where: { id: user.userId },
    data: {
      username: 'Ada',
      usernameKey: 'ada',
      usernameSkeleton: 'ada',
      emailVerifiedAt: new Date('2026-01-02T03:04:05.678Z'),
      lastLoginAt: new Date('2026-06-30T23:59:59.999Z'),
      totpSecret: 'sealed-secret',
      totpPendingSecret: 'sealed-pending',
      totpEnabledAt: new Date('2026-03-04T05:06:07.008Z'),
      totpLastStep: 59_000_123,
    },
  });
  await server.prisma.session.update({
    where: { id: sessionId },
    data: { clientId: 'web', revokedAt: new Date('2026-12-31T12:00:00.001Z'), revokedReason: 'LOGOUT', userAgent: 'Agent/1.0', ip: '203.0.113.9' },
  });

  const direct = await findBearerSession(sessionId);
  const viaPrisma = await server.prisma.session.findUnique({ where: { id: sessionId }, include: { user: true } });

  expect(direct?.session).toEqual(viaPrisma);
  expect(direct?.session.revokedAt?.toISOString()).toBe('2026-12-31T12:00:00.001Z');
  expect(direct?.session.user.totpLastStep).toBe(59_000_123);
});

it('reads the nulls of a fresh session and user as Prisma does', async () => {
  const user = await signUp(server);
  const sessionId = sessionIdOf(user.accessToken);

  expect((await findBearerSession(sessionId))?.session).toEqual(
    await server.prisma.session.findUnique({ where: { id: sessionId }, include: { user: true } }),
  );
});

it("reads the member's role in the session's account as it is now, and none once they are no longer a member", async () => {
  const user = await signUp(server);
  const sessionId = sessionIdOf(user.accessToken);
  const membership = { userId_accountId: { userId: user.userId, accountId: user.accountId } };
  await server.prisma.membership.update({ where: membership, data: { roleName: 'guest' } });
  expect((await findBearerSession(sessionId))?.roleName).toBe('guest');

  await server.prisma.membership.delete({ where: membership });
  expect((await findBearerSession(sessionId))?.roleName).toBeNull();
});

it("reads an account role's stored permissions with the session and with the refresh token, as Prisma does", async () => {
  const user = await signUp(server);
  const sessionId = sessionIdOf(user.accessToken);
  const stored = await server.prisma.accountRole.create({
    data: { accountId: user.accountId, name: 'reader', description: '', permissions: [{ feature: 'members', access: 'r' }] },
  });
  await server.prisma.membership.update({ where: { userId_accountId: { userId: user.userId, accountId: user.accountId } }, data: { roleName: 'reader' } });
  const token = await server.prisma.refreshToken.findFirstOrThrow({ where: { sessionId } });

  expect(await findBearerSession(sessionId)).toMatchObject({ roleName: 'reader', rolePermissions: stored.permissions });
  expect(await findRefreshToken(server.app.database.hotPathSql, token.id)).toMatchObject({ roleName: 'reader', rolePermissions: stored.permissions });
});

it('finds nothing for a session id that does not exist', async () => {
  expect(await findBearerSession('01890000-0000-7000-8000-000000000000')).toBeNull();
});

it('reads several sessions in one statement, one answer per id in their order, each its own objects', async () => {
  const [first, second] = [await signUp(server), await signUp(server)];
  const [firstId, secondId] = [sessionIdOf(first.accessToken), sessionIdOf(second.accessToken)];
  const unknownId = '01890000-0000-7000-8000-000000000001';

  const found = await findBearerSessions(server.app.database.hotPathSql, [secondId, unknownId, firstId, secondId]);

  expect(found.map((bearer) => bearer?.session.user.email ?? null)).toEqual([second.email, null, first.email, second.email]);
  expect(found[3]).toEqual(found[0]);
  expect(found[3]).not.toBe(found[0]);
  expect(found[3]!.session.user).not.toBe(found[0]!.session.user);
});

it("reads a refresh token with its session, user, account and the member's role as Prisma does", async () => {
  const user = await signUp(server);
  const latest = await server.prisma.refreshToken.findFirstOrThrow({ where: { session: { userId: user.userId } }, orderBy: { createdAt: 'desc' } });
  await server.prisma.account.update({ where: { id: user.accountId }, data: { requireTwoFactor: true } });

  const direct = await findRefreshToken(server.app.database.hotPathSql, latest.id);
  const { session, ...token } = await server.prisma.refreshToken.findUniqueOrThrow({
    where: { id: latest.id },
    include: { session: { include: { user: true, account: true } } },
  });
  const membership = await server.prisma.membership.findUniqueOrThrow({ where: { userId_accountId: { userId: user.userId, accountId: user.accountId } } });

  expect(direct).toEqual({ token, session, roleName: membership.roleName, rolePermissions: null });
  expect(direct?.session.account.requireTwoFactor).toBe(true);
});

it('reads no role once the user is no longer a member of the session\'s account', async () => {
  const user = await signUp(server);
  const token = await server.prisma.refreshToken.findFirstOrThrow({ where: { session: { userId: user.userId } } });
  await server.prisma.membership.delete({ where: { userId_accountId: { userId: user.userId, accountId: user.accountId } } });

  expect((await findRefreshToken(server.app.database.hotPathSql, token.id))?.roleName).toBeNull();
});
