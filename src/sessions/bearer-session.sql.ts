import type { DirectSql } from '../direct-sql';
import { Prisma } from '../generated/prisma/client';
import type { Session, User } from '../generated/prisma/client';
import { ModelColumns } from '../model-columns';

export type SessionWithUser = Session & { user: User };

/** What the bearer check decides on: the session, its user, and the member's role in the session's account now. */
export interface BearerSession {
  readonly session: SessionWithUser;
  /** The membership's current role, null once the user is no longer a member of the session's account. */
  readonly roleName: string | null;
}

const sessionColumns = new ModelColumns<Session>('session', Prisma.SessionScalarFieldEnum);
const userColumns = new ModelColumns<User>('user', Prisma.UserScalarFieldEnum);

// The role is read here, on the statement every authenticated request already runs, never from the
// access token: a demotion or removal then takes effect on the next request, on every instance.
const SELECT_BEARER_SESSION = `SELECT ${sessionColumns.select('s')}, ${userColumns.select('u')}, m."roleName" AS "membership.roleName"
  FROM "Session" s
  JOIN "User" u ON u."id" = s."userId"
  LEFT JOIN "Membership" m ON m."userId" = s."userId" AND m."accountId" = s."accountId"
  WHERE s."id" = $1::uuid`;

/**
 * A session, its user and the member's current role in one flat statement by primary keys: the bearer
 * check's only query. test/sessions/direct-reads.test.ts checks it reads what Prisma reads.
 */
export async function findBearerSession(sql: DirectSql, sessionId: string): Promise<BearerSession | null> {
  const [row] = await sql.query<Record<string, unknown>>(SELECT_BEARER_SESSION, [sessionId]);
  if (!row) return null;
  return { session: { ...sessionColumns.read(row), user: userColumns.read(row) }, roleName: row['membership.roleName'] as string | null };
}
