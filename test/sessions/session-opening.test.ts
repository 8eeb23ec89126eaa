import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { AuthEventType } from '../../src/audit/auth-event';
import { transactionSql } from '../../src/database/hot-path-sql';
import type { HotPathSql } from '../../src/database/hot-path-sql';
import { openSession } from '../../src/sessions/session-opening.sql';
import type { SessionOpening } from '../../src/sessions/session-opening.sql';
import { signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Every way into an account opens its session with one statement (src/sessions/session-opening.sql.ts):
// alone for a login, inside the caller's transaction for sign-up, selection, switch and second factor.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function openingFor(user: SignedUpUser, now: Date): SessionOpening {
  const sessionId = uuidv7();
  return {
    sessionId,
    userId: user.userId,
    accountId: user.accountId,
    clientId: 'web',
    userAgent: 'Agent/2.0',
    ip: '198.51.100.7',
    now,
    idleExpiresAt: new Date(now.getTime() + 3_600_000),
    absoluteExpiresAt: new Date(now.getTime() + 86_400_000),
    refreshTokenId: randomUUID(),
    refreshSecretHash: 'hash-of-secret',
    isLogin: true,
    maxSessionsPerUser: 50,
    event: {
      id: uuidv7(),
      type: AuthEventType.LOGIN_SUCCEEDED,
      reason: null,
      userId: user.userId,
      accountId: user.accountId,
      sessionId,
      clientId: 'web',
      ip: '198.51.100.7',
      userAgent: 'Agent/2.0',
      details: { via: 'test' },
      createdAt: now,
    },
  };
}

const rowsOf = async (opening: SessionOpening) => ({
  session: await server.prisma.session.findUnique({ where: { id: opening.sessionId } }),
  refreshToken: await server.prisma.refreshToken.findUnique({ where: { id: opening.refreshTokenId } }),
  event: await server.prisma.authEvent.findUnique({ where: { id: opening.event.id } }),
  user: await server.prisma.user.findUniqueOrThrow({ where: { id: opening.userId } }),
  membership: await server.prisma.membership.findUnique({ where: { userId_accountId: { userId: opening.userId, accountId: opening.accountId } } }),
});

describe.each<[string, (run: (sql: HotPathSql) => Promise<unknown>) => Promise<unknown>]>([
  ['on its own', (run) => run(server.app.database.hotPathSql)],
  ['inside a Prisma transaction', (run) => server.prisma.$transaction((transaction) => run(transactionSql(transaction)))],
])('%s', (_name, within) => {
  it('writes the session, its refresh token, the audit row, the user and the membership, and returns them as Prisma reads them', async () => {
    const user = await signUp(server);
    const opening = openingFor(user, new Date('2026-07-01T00:30:00.250Z'));

    const opened = await within((sql) => openSession(sql, opening));

    const rows = await rowsOf(opening);
    expect(opened).toEqual({ session: rows.session, user: rows.user, endedForLimit: 0 });
    expect(rows.session).toMatchObject({
      userId: user.userId,
      accountId: user.accountId,
      clientId: 'web',
      userAgent: 'Agent/2.0',
      ip: '198.51.100.7',
      createdAt: opening.now,
      lastUsedAt: opening.now,
      idleExpiresAt: opening.idleExpiresAt,
      absoluteExpiresAt: opening.absoluteExpiresAt,
      revokedAt: null,
    });
    expect(rows.refreshToken).toMatchObject({ sessionId: opening.sessionId, secretHash: 'hash-of-secret', createdAt: opening.now, rotatedAt: null });
    expect(rows.event).toEqual(opening.event);
    expect(rows.user).toMatchObject({ lastLoginAt: opening.now, lastAccountId: user.accountId });
    expect(rows.membership!.lastUsedAt).toEqual(opening.now);
  });

  it('ends the oldest live sessions past maxSessionsPerUser and says how many (gatehouse_sessions_revoked_total{reason="session_limit"})', async () => {
    const user = await signUp(server);
    const first = { ...openingFor(user, new Date('2026-07-03T00:00:00.000Z')), maxSessionsPerUser: 1 };
    await within((sql) => openSession(sql, first));
    const second = { ...openingFor(user, new Date('2026-07-03T00:00:01.000Z')), maxSessionsPerUser: 1 };

    const opened = (await within((sql) => openSession(sql, second))) as { endedForLimit: number } | null;

    expect(opened?.endedForLimit).toBe(1);
    expect((await rowsOf(first)).session).toMatchObject({ revokedAt: second.now, revokedReason: 'SESSION_LIMIT' });
  });

  it('keeps lastLoginAt for an account switch', async () => {
    const user = await signUp(server);
    const before = await server.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
    const opening = { ...openingFor(user, new Date('2026-07-02T00:00:00.000Z')), isLogin: false };

    await within((sql) => openSession(sql, opening));

    expect((await rowsOf(opening)).user.lastLoginAt).toEqual(before.lastLoginAt);
  });

  it('writes nothing and returns null once the user is no longer a member of the account', async () => {
    const user = await signUp(server);
    await server.prisma.membership.delete({ where: { userId_accountId: { userId: user.userId, accountId: user.accountId } } });
    const before = await server.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
    const opening = openingFor(user, new Date('2026-07-03T00:00:00.000Z'));

    expect(await within((sql) => openSession(sql, opening))).toBeNull();

    const rows = await rowsOf(opening);
    expect(rows).toEqual({ session: null, refreshToken: null, event: null, user: before, membership: null });
  });
});

it("rolls back with the caller's transaction", async () => {
  const user = await signUp(server);
  const opening = openingFor(user, new Date('2026-07-04T00:00:00.000Z'));
  const before = await rowsOf(opening);

  await expect(
    server.prisma.$transaction(async (transaction) => {
      await openSession(transactionSql(transaction), opening);
      throw new Error('the caller failed after opening the session');
    }),
  ).rejects.toThrow('the caller failed');

  const rows = await rowsOf(opening);
  expect(rows).toEqual({ session: null, refreshToken: null, event: null, user: before.user, membership: before.membership });
});

it('refuses with NOT_A_MEMBER, and opens nothing, when the membership went after it was read', async () => {
  const user = await signUp(server);
  const account = await server.prisma.account.findUniqueOrThrow({ where: { id: user.accountId } });
  const read = await server.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
  const sessionsBefore = await server.prisma.session.count({ where: { userId: user.userId } });
  await server.prisma.membership.delete({ where: { userId_accountId: { userId: user.userId, accountId: user.accountId } } });

  const start = server.app.services.sessions.start({
    user: read,
    account,
    role: 'owner',
    clientId: null,
    request: { ip: null, userAgent: null },
    isLogin: true,
    event: AuthEventType.LOGIN_SUCCEEDED,
  });

  await expect(start).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'NOT_A_MEMBER' } });
  expect(await server.prisma.session.count({ where: { userId: user.userId } })).toBe(sessionsBefore);
});
