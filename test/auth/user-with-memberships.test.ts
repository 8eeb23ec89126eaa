import { findUserWithMemberships } from '../../src/auth/user-with-memberships.sql';
import { memberOfTwoAccounts, signUp } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// A login reads its user and their memberships in one plain-SQL statement (src/database/hot-path-sql.ts): it must
// read exactly what Prisma reads of the same rows, in the order the account choice lists them. The
// suite runs off UTC (jest.config.js), so a timestamp read as local time shows here.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** What Prisma reads: the user, and their memberships most recently used first, then oldest first. */
async function viaPrisma(userId: string) {
  const user = await server.prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const memberships = await server.prisma.membership.findMany({
    where: { userId },
    include: { account: true },
    orderBy: [{ lastUsedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'asc' }],
  });
  return { user, memberships };
}

it('reads a user and their memberships as Prisma does, most recently used first and never-used last', async () => {
  const { member } = await memberOfTwoAccounts(server);
  const third = await signUp(server, { accountName: 'Third Place' });
  await server.prisma.membership.create({ data: { userId: member.userId, accountId: third.accountId, roleName: 'admin' } });
  await server.prisma.user.update({
    where: { id: member.userId },
    data: { username: 'Grace', usernameKey: 'grace', usernameSkeleton: 'grace', emailVerifiedAt: new Date('2026-01-02T03:04:05.678Z'), totpLastStep: 42 },
  });
  // Own Studio used last; the shared account used earlier; the third never used.
  await server.prisma.membership.update({
    where: { userId_accountId: { userId: member.userId, accountId: member.accountId } },
    data: { lastUsedAt: new Date('2026-05-05T05:05:05.005Z') },
  });
  const shared = await server.prisma.membership.findFirstOrThrow({ where: { userId: member.userId, NOT: { accountId: { in: [member.accountId, third.accountId] } } } });
  await server.prisma.membership.update({
    where: { userId_accountId: { userId: member.userId, accountId: shared.accountId } },
    data: { lastUsedAt: new Date('2026-04-04T04:04:04.004Z') },
  });
  await server.prisma.account.update({ where: { id: third.accountId }, data: { requireTwoFactor: true } });

  const expected = await viaPrisma(member.userId);
  expect(expected.memberships.map((membership) => membership.accountId)).toEqual([member.accountId, shared.accountId, third.accountId]);

  const direct = server.app.database.hotPathSql;
  expect(await findUserWithMemberships(direct, 'email', member.email)).toEqual(expected);
  expect(await findUserWithMemberships(direct, 'usernameKey', 'grace')).toEqual(expected);
  expect(await findUserWithMemberships(direct, 'id', member.userId)).toEqual(expected);
});

it('orders never-used memberships oldest first', async () => {
  const { member } = await memberOfTwoAccounts(server);
  await server.prisma.membership.updateMany({ where: { userId: member.userId }, data: { lastUsedAt: null } });

  const direct = await findUserWithMemberships(server.app.database.hotPathSql, 'id', member.userId);

  expect(direct).toEqual(await viaPrisma(member.userId));
  expect(direct!.memberships[0]!.createdAt.getTime()).toBeLessThanOrEqual(direct!.memberships[1]!.createdAt.getTime());
});

it('reads a user with no memberships left as the user and an empty list', async () => {
  const user = await signUp(server);
  await server.prisma.membership.deleteMany({ where: { userId: user.userId } });

  expect(await findUserWithMemberships(server.app.database.hotPathSql, 'email', user.email)).toEqual({
    user: await server.prisma.user.findUniqueOrThrow({ where: { id: user.userId } }),
    memberships: [],
  });
});

it('finds nobody for an unknown email, username or id', async () => {
  const direct = server.app.database.hotPathSql;
  expect(await findUserWithMemberships(direct, 'email', 'nobody@example.test')).toBeNull();
  expect(await findUserWithMemberships(direct, 'usernameKey', 'nobody')).toBeNull();
  expect(await findUserWithMemberships(direct, 'id', '01890000-0000-7000-8000-000000000000')).toBeNull();
});
