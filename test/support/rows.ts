import type { TestServer } from './test-server';

/** Rows more than one test file reads to assert on what a request stored. */

export const userRow = (server: TestServer, userId: string) => server.prisma.user.findUniqueOrThrow({ where: { id: userId } });

/** The role the user holds in the account as stored now (not as any token claims it). */
export const roleIn = async (server: TestServer, userId: string, accountId: string): Promise<string> =>
  (await server.prisma.membership.findUniqueOrThrow({ where: { userId_accountId: { userId, accountId } } })).roleName;

/** The user's sessions (in one account, if given), live or not: a test compares before and after. */
export const sessionCount = (server: TestServer, userId: string, accountId?: string): Promise<number> =>
  server.prisma.session.count({ where: { userId, ...(accountId ? { accountId } : {}) } });
