import { insertAuthEvent } from '../audit/auth-event-insert.sql';
import type { HotPathSql } from '../database/hot-path-sql';
import { ModelColumns } from '../database/model-columns';
import { StatementParameters } from '../database/statement-parameters';
import { Prisma } from '../generated/prisma/client';
import type { Account, AuthEvent, RefreshToken, Session, User } from '../generated/prisma/client';
import type { SessionWithAccount } from './session-grant';

// Refresh rotation in two plain-SQL statements (database/hot-path-sql.ts says why): one read, one atomic write.

const refreshTokenColumns = new ModelColumns<RefreshToken>('token', Prisma.RefreshTokenScalarFieldEnum);
const sessionColumns = new ModelColumns<Session>('session', Prisma.SessionScalarFieldEnum);
const userColumns = new ModelColumns<User>('user', Prisma.UserScalarFieldEnum);
const accountColumns = new ModelColumns<Account>('account', Prisma.AccountScalarFieldEnum);

const SELECT_REFRESH_TOKEN = `SELECT ${refreshTokenColumns.select('t')}, ${sessionColumns.select('s')}, ${userColumns.select('u')},
    ${accountColumns.select('a')}, m."roleName" AS "membership.roleName",
    r."permissions" AS "role.permissions"
  FROM "RefreshToken" t
  JOIN "Session" s ON s."id" = t."sessionId"
  JOIN "User" u ON u."id" = s."userId"
  JOIN "Account" a ON a."id" = s."accountId"
  LEFT JOIN "Membership" m ON m."userId" = s."userId" AND m."accountId" = s."accountId"
  LEFT JOIN "AccountRole" r ON r."accountId" = s."accountId" AND r."name" = m."roleName"
  WHERE t."id" = $1::uuid`;

export interface RefreshTokenRecord {
  readonly token: RefreshToken;
  readonly session: SessionWithAccount;
  /** The user's role in the session's account now; null once they are no longer a member. */
  readonly roleName: string | null;
  /** The stored permissions of the account's own role of that name, null for a built-in role. */
  readonly rolePermissions: unknown;
}

/** A refresh token with its session, user and account, and the membership's current role: one statement. */
export async function findRefreshToken(sql: HotPathSql, tokenId: string): Promise<RefreshTokenRecord | null> {
  const [row] = await sql.query<Record<string, unknown>>(SELECT_REFRESH_TOKEN, [tokenId]);
  if (!row) return null;
  return {
    token: refreshTokenColumns.read(row),
    session: { ...sessionColumns.read(row), user: userColumns.read(row), account: accountColumns.read(row) },
    roleName: row['membership.roleName'] as string | null,
    rolePermissions: row['role.permissions'] ?? null,
  };
}

export interface Rotation {
  readonly sessionId: string;
  readonly tokenId: string;
  readonly now: Date;
  readonly idleExpiresAt: Date;
  readonly successorId: string;
  readonly successorSecretHash: string;
  /** Written with the rotation (AuditLog.rowFor). */
  readonly event: AuthEvent;
}

const parameters = new StatementParameters<Rotation>();
const $ = parameters.fields('sessionId', 'tokenId', 'now', 'idleExpiresAt', 'successorId', 'successorSecretHash');
const event = insertAuthEvent(parameters, (rotation) => rotation.event, 'rotated');

// One statement, so atomic without a transaction: the session is touched only while live, the token
// rotated only if it was touched and nobody rotated it first (the conditional update is the arbiter
// between concurrent refreshes), and the successor, the audit row and the membership's last use are
// written only with a rotation. A lost race leaves only the session touched, as its winner touches it.
const ROTATE = `WITH touched AS (
    UPDATE "Session" SET "lastUsedAt" = ${$.now}::timestamp(3), "idleExpiresAt" = ${$.idleExpiresAt}::timestamp(3)
    WHERE "id" = ${$.sessionId}::uuid AND "revokedAt" IS NULL RETURNING "id"
  ), rotated AS (
    UPDATE "RefreshToken" SET "rotatedAt" = ${$.now}::timestamp(3), "replacedById" = ${$.successorId}::uuid
    WHERE "id" = ${$.tokenId}::uuid AND "rotatedAt" IS NULL AND EXISTS (SELECT 1 FROM touched) RETURNING "id"
  ), successor AS (
    INSERT INTO "RefreshToken" ("id", "sessionId", "secretHash", "createdAt")
    SELECT ${$.successorId}::uuid, ${$.sessionId}::uuid, ${$.successorSecretHash}, ${$.now}::timestamp(3) FROM rotated
  ), event AS (
    ${event.sql}
  ), membership AS (
    UPDATE "Membership" SET "lastUsedAt" = ${$.now}::timestamp(3)
    WHERE "userId" = ${event.userId}::uuid AND "accountId" = ${event.accountId}::uuid AND EXISTS (SELECT 1 FROM rotated) -- the event's userId and accountId
  )
  SELECT (SELECT count(*) FROM touched)::int AS "touched", (SELECT count(*) FROM rotated)::int AS "rotated"`;

/** 'rotated'; 'session-ended' when the session was revoked meanwhile; 'lost-race' when another request rotated the token first. */
export async function rotateRefreshToken(sql: HotPathSql, rotation: Rotation): Promise<'rotated' | 'session-ended' | 'lost-race'> {
  const [result] = await sql.query<{ touched: number; rotated: number }>(ROTATE, parameters.values(rotation));
  if (result!.touched === 0) return 'session-ended';
  return result!.rotated === 0 ? 'lost-race' : 'rotated';
}
