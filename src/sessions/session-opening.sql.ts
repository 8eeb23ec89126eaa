import { insertAuthEvent } from '../audit/auth-event-insert.sql';
import type { HotPathSql } from '../database/hot-path-sql';
import { ModelColumns } from '../database/model-columns';
import { StatementParameters } from '../database/statement-parameters';
import { Prisma } from '../generated/prisma/client';
import type { AuthEvent, Session, User } from '../generated/prisma/client';
import { RevocationReason } from './revocation';

// A session's opening in one plain-SQL statement (database/hot-path-sql.ts says why): on its own it is atomic
// without a transaction (a login), and inside a caller's transaction it commits with the rest (sign-up,
// selection, switch, second factor). Every way into an account writes exactly these rows.

const sessionColumns = new ModelColumns<Session>('session', Prisma.SessionScalarFieldEnum);
const userColumns = new ModelColumns<User>('user', Prisma.UserScalarFieldEnum);

export interface SessionOpening {
  /** Made by the caller (a UUIDv7, as Prisma makes them): the audit row names the session too. */
  readonly sessionId: string;
  readonly userId: string;
  readonly accountId: string;
  readonly clientId: string | null;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly now: Date;
  readonly idleExpiresAt: Date;
  readonly absoluteExpiresAt: Date;
  readonly refreshTokenId: string;
  readonly refreshSecretHash: string;
  /** Records lastLoginAt (a login), or only lastAccountId (a switch). */
  readonly isLogin: boolean;
  /** The most live sessions the user may hold, this one included. */
  readonly maxSessionsPerUser: number;
  /** Written with the session, exactly as AuditLog.rowFor built it (its sessionId is the new session's). */
  readonly event: AuthEvent;
}

const parameters = new StatementParameters<SessionOpening>();
const $ = parameters.fields(
  'sessionId',
  'userId',
  'accountId',
  'clientId',
  'userAgent',
  'ip',
  'now',
  'idleExpiresAt',
  'absoluteExpiresAt',
  'refreshTokenId',
  'refreshSecretHash',
  'isLogin',
  'maxSessionsPerUser',
);
const event = insertAuthEvent(parameters, (opening) => opening.event, 'opened');

// The membership's update comes first and gates the rest: a member removed since their memberships were
// read gets no session (the row lock also makes a concurrent removal wait for this statement). Past
// maxSessionsPerUser live sessions the user's oldest end (revokedReason SESSION_LIMIT): the new one is
// not visible to the statement's own snapshot, so the newest maxSessionsPerUser - 1 stay beside it.
const OPEN_SESSION = `WITH used AS (
    UPDATE "Membership" SET "lastUsedAt" = ${$.now}::timestamp(3)
    WHERE "userId" = ${$.userId}::uuid AND "accountId" = ${$.accountId}::uuid RETURNING "userId"
  ), opened AS (
    INSERT INTO "Session" ("id", "userId", "accountId", "clientId", "userAgent", "ip", "createdAt", "lastUsedAt", "idleExpiresAt", "absoluteExpiresAt")
    SELECT ${$.sessionId}::uuid, ${$.userId}::uuid, ${$.accountId}::uuid, ${$.clientId}, ${$.userAgent}, ${$.ip}, ${$.now}::timestamp(3), ${$.now}::timestamp(3), ${$.idleExpiresAt}::timestamp(3), ${$.absoluteExpiresAt}::timestamp(3) FROM used
    RETURNING *
  ), token AS (
    INSERT INTO "RefreshToken" ("id", "sessionId", "secretHash", "createdAt")
    SELECT ${$.refreshTokenId}::uuid, "id", ${$.refreshSecretHash}, ${$.now}::timestamp(3) FROM opened
  ), entered AS (
    UPDATE "User" SET "lastAccountId" = ${$.accountId}::uuid, "lastLoginAt" = CASE WHEN ${$.isLogin}::boolean THEN ${$.now}::timestamp(3) ELSE "lastLoginAt" END
    WHERE "id" = ${$.userId}::uuid AND EXISTS (SELECT 1 FROM opened) RETURNING *
  ), capped AS (
    UPDATE "Session" SET "revokedAt" = ${$.now}::timestamp(3), "revokedReason" = '${RevocationReason.SESSION_LIMIT}'
    WHERE "id" IN (
      SELECT "id" FROM "Session"
      WHERE "userId" = ${$.userId}::uuid AND "revokedAt" IS NULL AND "idleExpiresAt" > ${$.now}::timestamp(3) AND "absoluteExpiresAt" > ${$.now}::timestamp(3)
      ORDER BY "createdAt" DESC, "id" DESC
      OFFSET ${$.maxSessionsPerUser}::int - 1
    ) AND EXISTS (SELECT 1 FROM opened)
    RETURNING 1
  ), event AS (
    ${event.sql}
  )
  SELECT ${sessionColumns.select('s')}, ${userColumns.select('u')}, (SELECT count(*) FROM capped)::int AS "endedForLimit" FROM opened s CROSS JOIN entered u`;

/**
 * The opened session, the user as updated, and how many of their oldest sessions it ended
 * (SESSION_LIMIT); null when the user is no longer a member of the account.
 */
export async function openSession(sql: HotPathSql, opening: SessionOpening): Promise<{ session: Session; user: User; endedForLimit: number } | null> {
  const [row] = await sql.query<Record<string, unknown>>(OPEN_SESSION, parameters.values(opening));
  return row ? { session: sessionColumns.read(row), user: userColumns.read(row), endedForLimit: Number(row.endedForLimit) } : null;
}
