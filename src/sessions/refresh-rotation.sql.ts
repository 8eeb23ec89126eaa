import { TWO_FACTOR_ROLES } from '../accounts/two-factor-policy';
import { insertAuthEvent } from '../audit/auth-event-insert.sql';
import type { HotPathSql } from '../database/hot-path-sql';
import { ModelColumns } from '../database/model-columns';
import { StatementParameters } from '../database/statement-parameters';
import { Prisma } from '../generated/prisma/client';
import type { Account, AuthEvent, RefreshToken, Session, User } from '../generated/prisma/client';
import type { SessionWithAccount } from './session-grant';

// Refresh rotation in plain SQL (database/hot-path-sql.ts says why): usually one statement that reads and
// rotates (ROTATE_IF_ELIGIBLE, at the end); when it refuses, a read and an atomic write, as before.

const refreshTokenColumns = new ModelColumns<RefreshToken>('token', Prisma.RefreshTokenScalarFieldEnum);
const sessionColumns = new ModelColumns<Session>('session', Prisma.SessionScalarFieldEnum);
const userColumns = new ModelColumns<User>('user', Prisma.UserScalarFieldEnum);
const accountColumns = new ModelColumns<Account>('account', Prisma.AccountScalarFieldEnum);

const FOUND = `SELECT ${refreshTokenColumns.select('t')}, ${sessionColumns.select('s')}, ${userColumns.select('u')},
    ${accountColumns.select('a')}, m."roleName" AS "membership.roleName",
    r."permissions" AS "role.permissions"
  FROM "RefreshToken" t
  JOIN "Session" s ON s."id" = t."sessionId"
  JOIN "User" u ON u."id" = s."userId"
  JOIN "Account" a ON a."id" = s."accountId"
  LEFT JOIN "Membership" m ON m."userId" = s."userId" AND m."accountId" = s."accountId"
  LEFT JOIN "AccountRole" r ON r."accountId" = s."accountId" AND r."name" = m."roleName"`;

const SELECT_REFRESH_TOKEN = `${FOUND}
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
  return row ? recordOf(row) : null;
}

function recordOf(row: Readonly<Record<string, unknown>>): RefreshTokenRecord {
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

/**
 * How stale a membership's last use may read before a refresh writes it again. Every session of a user
 * in one account shares that row: stamped on each refresh, a user's devices would queue on its lock
 * (measured at 2.7 ms a rotation with 50 refreshing chains, 0.29 ms without). Logins still stamp it
 * exactly; the account list it orders is unchanged at this resolution.
 */
const MEMBERSHIP_USE_RESOLUTION = `interval '60 seconds'`;
const isStale = (lastUsedAt: string, now: string) =>
  `(${lastUsedAt} IS NULL OR ${lastUsedAt} < ${now}::timestamp(3) - ${MEMBERSHIP_USE_RESOLUTION})`;

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
      AND ${isStale('"lastUsedAt"', $.now)}
  )
  SELECT (SELECT count(*) FROM touched)::int AS "touched", (SELECT count(*) FROM rotated)::int AS "rotated"`;

/** 'rotated'; 'session-ended' when the session was revoked meanwhile; 'lost-race' when another request rotated the token first. */
export async function rotateRefreshToken(sql: HotPathSql, rotation: Rotation): Promise<'rotated' | 'session-ended' | 'lost-race'> {
  const [result] = await sql.query<{ touched: number; rotated: number }>(ROTATE, parameters.values(rotation));
  if (result!.touched === 0) return 'session-ended';
  return result!.rotated === 0 ? 'lost-race' : 'rotated';
}

/** A refresh in one statement: the token's id and the presented secret's hash, and what a rotation writes. */
export interface EligibleRotation {
  readonly tokenId: string;
  readonly secretHash: string;
  readonly clientId: string | null;
  readonly now: Date;
  /** The idle expiry a refresh now gives, before the session's absolute expiry caps it (in the statement, as SessionGrantIssuer.idleExpiry does). */
  readonly idleExpiresAt: Date;
  readonly successorId: string;
  readonly successorSecretHash: string;
  /** AuditLog.rowFor's row without its subject: the statement writes the session's user, account, session and client. */
  readonly event: AuthEvent;
}

const eligibleParameters = new StatementParameters<EligibleRotation>();
const e = eligibleParameters.fields('tokenId', 'secretHash', 'clientId', 'now', 'idleExpiresAt', 'successorId', 'successorSecretHash');
const eligibleEvent = insertAuthEvent(eligibleParameters, (rotation) => rotation.event, 'rotated, eligible', {
  userId: 'eligible."userId"',
  accountId: 'eligible."accountId"',
  sessionId: 'eligible."id"',
  clientId: 'eligible."clientId"',
});
const sqlText = (value: string) => `'${value.replaceAll("'", "''")}'`;
const twoFactorRoles = TWO_FACTOR_ROLES.map(sqlText).join(', ');
const at = `${e.now}::timestamp(3)`;

// The usual refresh in one round trip: the token read as findRefreshToken reads it, and rotated as
// ROTATE rotates it, but only when nothing would refuse it. `eligible` is RefreshTokenService's checks
// in SQL: the secret, the client, a live session, a current member, and the account's 2FA rule
// (accounts/two-factor-policy.ts). When it rotates nothing, the service runs those checks on the row
// read here, and they say why (or find a race lost); the tests of every refusal go through here first,
// so a check that let through what the service refuses would fail them.
const ROTATE_IF_ELIGIBLE = `WITH found AS (
    ${FOUND}
    WHERE t."id" = ${e.tokenId}::uuid
  ), eligible AS (
    SELECT "session.id" AS "id", "session.userId" AS "userId", "session.accountId" AS "accountId", "session.clientId" AS "clientId",
      LEAST(${e.idleExpiresAt}::timestamp(3), "session.absoluteExpiresAt") AS "idleExpiresAt"
    FROM found
    WHERE "token.secretHash" = ${e.secretHash} AND "token.rotatedAt" IS NULL
      AND "session.clientId" IS NOT DISTINCT FROM ${e.clientId}::text
      AND "session.revokedAt" IS NULL AND "session.idleExpiresAt" > ${at} AND "session.absoluteExpiresAt" > ${at}
      AND "membership.roleName" IS NOT NULL
      AND NOT ("account.requireTwoFactor" AND "user.totpEnabledAt" IS NULL AND "membership.roleName" IN (${twoFactorRoles}))
  ), touched AS (
    UPDATE "Session" s SET "lastUsedAt" = ${at}, "idleExpiresAt" = eligible."idleExpiresAt"
    FROM eligible WHERE s."id" = eligible."id" AND s."revokedAt" IS NULL RETURNING s."id"
  ), rotated AS (
    UPDATE "RefreshToken" SET "rotatedAt" = ${at}, "replacedById" = ${e.successorId}::uuid
    WHERE "id" = ${e.tokenId}::uuid AND "rotatedAt" IS NULL AND EXISTS (SELECT 1 FROM touched) RETURNING "id"
  ), successor AS (
    INSERT INTO "RefreshToken" ("id", "sessionId", "secretHash", "createdAt")
    SELECT ${e.successorId}::uuid, eligible."id", ${e.successorSecretHash}, ${at} FROM rotated, eligible
  ), event AS (
    ${eligibleEvent.sql}
  ), membership AS (
    UPDATE "Membership" m SET "lastUsedAt" = ${at}
    FROM rotated, eligible WHERE m."userId" = eligible."userId" AND m."accountId" = eligible."accountId"
      AND ${isStale('m."lastUsedAt"', e.now)}
  )
  SELECT found.*, (SELECT count(*) FROM rotated)::int AS "rotated" FROM found`;

/** What ROTATE_IF_ELIGIBLE read, and whether it rotated: a rotated token's session had a current member's role. */
export type EligibleRotationOutcome =
  | { readonly rotated: true; readonly record: RefreshTokenRecord & { readonly roleName: string } }
  | { readonly rotated: false; readonly record: RefreshTokenRecord | null };

/**
 * Reads the token and rotates it in one statement when nothing refuses it: `rotated` says whether it did,
 * `record` is what it read (null for an unknown id), as findRefreshToken returns it, before the rotation.
 */
export async function rotateIfEligible(sql: HotPathSql, rotation: EligibleRotation): Promise<EligibleRotationOutcome> {
  const [row] = await sql.query<Record<string, unknown>>(ROTATE_IF_ELIGIBLE, eligibleParameters.values(rotation));
  if (!row) return { rotated: false, record: null };
  const record = recordOf(row);
  return row.rotated === 1 && record.roleName !== null ? { rotated: true, record: { ...record, roleName: record.roleName } } : { rotated: false, record };
}
