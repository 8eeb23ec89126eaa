import type { DirectSql } from '../direct-sql';
import { Prisma } from '../generated/prisma/client';
import type { Session, User } from '../generated/prisma/client';

export type SessionWithUser = Session & { user: User };

// The columns come from Prisma's own field lists (the schema maps no field to another column name), so
// a column added to either model is read here too; test/sessions/bearer-session-read.test.ts checks
// the result equals Prisma's reading of the same rows.
const SESSION_FIELDS = Object.values(Prisma.SessionScalarFieldEnum);
const USER_FIELDS = Object.values(Prisma.UserScalarFieldEnum);

const SELECT_SESSION_WITH_USER = `SELECT ${[
  ...SESSION_FIELDS.map((field) => `s."${field}" AS "session.${field}"`),
  ...USER_FIELDS.map((field) => `u."${field}" AS "user.${field}"`),
].join(', ')} FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = $1::uuid`;

/** A session and its user in one flat statement by primary key: the bearer check's only query. */
export async function findSessionWithUser(sql: DirectSql, sessionId: string): Promise<SessionWithUser | null> {
  const [row] = await sql.query<Record<string, unknown>>(SELECT_SESSION_WITH_USER, [sessionId]);
  if (!row) return null;
  const pick = (prefix: string, fields: readonly string[]) => Object.fromEntries(fields.map((field) => [field, row[`${prefix}.${field}`]]));
  return { ...(pick('session', SESSION_FIELDS) as Session), user: pick('user', USER_FIELDS) as User };
}
