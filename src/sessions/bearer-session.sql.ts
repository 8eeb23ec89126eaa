import type { HotPathSql } from '../database/hot-path-sql';
import { ModelColumns } from '../database/model-columns';
import { Prisma } from '../generated/prisma/client';
import type { Session, User } from '../generated/prisma/client';

export type SessionWithUser = Session & { user: User };

/** What the bearer check decides on: the session, its user, the member's role in the session's account now, and that account's 2FA rule. */
export interface BearerSession {
  readonly session: SessionWithUser;
  /** The membership's current role, null once the user is no longer a member of the session's account. */
  readonly roleName: string | null;
  /** The stored permissions of the account's own role of that name (AccountRole), null for a built-in role. */
  readonly rolePermissions: unknown;
  /** Whether the session's account requires its owners and admins to have 2FA on, as it does now. */
  readonly accountRequiresTwoFactor: boolean;
}

const sessionColumns = new ModelColumns<Session>('session', Prisma.SessionScalarFieldEnum);
const userColumns = new ModelColumns<User>('user', Prisma.UserScalarFieldEnum);

// The role (with an account role's permissions) and the account's 2FA rule are read here, on the statement every authenticated request
// already runs, never from the access token: a demotion, a removal or a new 2FA requirement then takes
// effect on the next request, on every instance.
const SELECT_BEARER_SESSIONS = `SELECT ${sessionColumns.select('s')}, ${userColumns.select('u')}, m."roleName" AS "membership.roleName",
    r."permissions" AS "role.permissions", a."requireTwoFactor" AS "account.requireTwoFactor"
  FROM "Session" s
  JOIN "User" u ON u."id" = s."userId"
  JOIN "Account" a ON a."id" = s."accountId"
  LEFT JOIN "Membership" m ON m."userId" = s."userId" AND m."accountId" = s."accountId"
  LEFT JOIN "AccountRole" r ON r."accountId" = s."accountId" AND r."name" = m."roleName"
  WHERE s."id" = ANY($1::uuid[])`;

/**
 * Sessions, their users and the members' current roles in one flat statement by primary keys: the bearer
 * check's only query, for every request waiting on one at once (bearer-session-reads.ts). One answer per
 * id, in their order (null for an unknown one), each its own objects even when an id is asked twice.
 * test/sessions/direct-reads.test.ts checks it reads what Prisma reads.
 */
export async function findBearerSessions(sql: HotPathSql, sessionIds: readonly string[]): Promise<(BearerSession | null)[]> {
  const rows = await sql.query<Record<string, unknown>>(SELECT_BEARER_SESSIONS, [sessionIds]);
  const rowsById = new Map(rows.map((row) => [row['session.id'] as string, row]));
  return sessionIds.map((sessionId) => {
    const row = rowsById.get(sessionId);
    return row === undefined ? null : bearerSessionOf(row);
  });
}

function bearerSessionOf(row: Readonly<Record<string, unknown>>): BearerSession {
  return {
    session: { ...sessionColumns.read(row), user: userColumns.read(row) },
    roleName: row['membership.roleName'] as string | null,
    rolePermissions: row['role.permissions'] ?? null,
    accountRequiresTwoFactor: row['account.requireTwoFactor'] as boolean,
  };
}
