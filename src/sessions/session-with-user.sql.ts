import type { DirectSql } from '../direct-sql';
import { Prisma } from '../generated/prisma/client';
import type { Session, User } from '../generated/prisma/client';
import { ModelColumns } from '../model-columns';

export type SessionWithUser = Session & { user: User };

const sessionColumns = new ModelColumns<Session>('session', Prisma.SessionScalarFieldEnum);
const userColumns = new ModelColumns<User>('user', Prisma.UserScalarFieldEnum);

const SELECT_SESSION_WITH_USER = `SELECT ${sessionColumns.select('s')}, ${userColumns.select('u')}
  FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = $1::uuid`;

/**
 * A session and its user in one flat statement by primary key: the bearer check's only query.
 * test/sessions/direct-reads.test.ts checks it reads what Prisma reads.
 */
export async function findSessionWithUser(sql: DirectSql, sessionId: string): Promise<SessionWithUser | null> {
  const [row] = await sql.query<Record<string, unknown>>(SELECT_SESSION_WITH_USER, [sessionId]);
  return row ? { ...sessionColumns.read(row), user: userColumns.read(row) } : null;
}
