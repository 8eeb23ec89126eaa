import type { MaintenanceSql } from '../database/maintenance-sql';
import type { Logger } from '../logger';
import { usernameSkeleton } from './username';

/**
 * Users who chose a username before User.usernameSkeleton existed get theirs at start, after the
 * migrations: a migration is plain SQL and cannot compute a UTS #39 skeleton. The rows to do are those
 * in the partial index the migration added (a username, no skeleton), so with nothing to do this costs
 * one lookup in an empty index, however many users there are. Rows go in sign-up order, in batches of
 * one statement each.
 *
 * Two existing users whose usernames look alike cannot both have the skeleton. Refusing to start would
 * take the service down over data it cannot fix, and renaming someone is not the service's call: whoever
 * has the skeleton already keeps it (of two being backfilled, the earlier sign-up), the other keeps a null
 * one, and a warning naming both ids is logged at every start until an operator settles it. Their names
 * stay unique by usernameKey, so both still log in.
 */

const FIRST_CURSOR = { createdAtText: '-infinity', id: '00000000-0000-0000-0000-000000000000' };
const DEFAULT_BATCH_SIZE = 500;
// A batch's update can meet a skeleton written since its check (a sign-up, another instance starting):
// it is checked again; a batch that keeps losing is left for the next start.
const MAX_BATCH_ATTEMPTS = 3;
const UNIQUE_VIOLATION = '23505';

// The cursor's time travels as text: a timestamp without a zone read into a Date and sent back depends on
// the driver's idea of local time. (Named apart from the column, or ORDER BY would sort by the text.)
const SELECT_BATCH = `SELECT "id", "usernameKey", "createdAt"::text AS "createdAtText" FROM "User"
  WHERE "usernameKey" IS NOT NULL AND "usernameSkeleton" IS NULL AND ("createdAt", "id") > ($1::timestamp, $2::uuid)
  ORDER BY "createdAt", "id" LIMIT $3`;
const SELECT_HOLDERS = `SELECT "id", "usernameSkeleton" FROM "User" WHERE "usernameSkeleton" = ANY($1::text[])`;
const UPDATE_BATCH = `UPDATE "User" AS u SET "usernameSkeleton" = v.skeleton
  FROM unnest($1::uuid[], $2::text[]) AS v(id, skeleton)
  WHERE u."id" = v.id AND u."usernameSkeleton" IS NULL
  RETURNING u."id"`;

interface PendingUser {
  readonly id: string;
  readonly usernameKey: string;
  readonly createdAtText: string;
}

export interface UsernameSkeletonBackfillResult {
  readonly filled: number;
  /** [later user, the user who has the skeleton] for each pair left unfilled. */
  readonly lookAlikes: readonly (readonly [string, string])[];
}

export async function backfillUsernameSkeletons(
  sql: MaintenanceSql,
  logger: Pick<Logger, 'info' | 'warn'>,
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<UsernameSkeletonBackfillResult> {
  let cursor = FIRST_CURSOR;
  let filled = 0;
  const lookAlikes: (readonly [string, string])[] = [];
  for (;;) {
    const batch = await sql.query<PendingUser>(SELECT_BATCH, [cursor.createdAtText, cursor.id, batchSize]);
    if (batch.length === 0) break;
    const result = await fillBatch(sql, batch);
    if (result === null) {
      logger.warn({ userIds: batch.map((user) => user.id) }, 'username skeletons kept changing under the backfill; left for the next start');
    } else {
      filled += result.filled;
      lookAlikes.push(...result.lookAlikes);
    }
    cursor = batch[batch.length - 1]!;
  }
  for (const [userId, sameAsUserId] of lookAlikes) {
    logger.warn({ userId, sameAsUserId }, "username looks like another user's: left without a skeleton until one of them is renamed");
  }
  if (filled > 0) logger.info({ users: filled }, 'backfilled username skeletons');
  return { filled, lookAlikes };
}

/** Fills what it can of one batch; null when every attempt lost a race. */
async function fillBatch(sql: MaintenanceSql, batch: readonly PendingUser[]): Promise<UsernameSkeletonBackfillResult | null> {
  // The key is the lower-cased username: its skeleton is the one sign-up stores.
  const pending = batch.map((user) => ({ id: user.id, skeleton: usernameSkeleton(user.usernameKey) }));
  for (let attempt = 0; attempt < MAX_BATCH_ATTEMPTS; attempt++) {
    const holders = await sql.query<{ id: string; usernameSkeleton: string }>(SELECT_HOLDERS, [pending.map((user) => user.skeleton)]);
    const holderOf = new Map(holders.map((holder) => [holder.usernameSkeleton, holder.id]));
    const fills: typeof pending = [];
    const lookAlikes: (readonly [string, string])[] = [];
    for (const user of pending) {
      const holder = holderOf.get(user.skeleton);
      if (holder !== undefined) {
        lookAlikes.push([user.id, holder]);
        continue;
      }
      // Within the batch too, the first in sign-up order keeps it.
      holderOf.set(user.skeleton, user.id);
      fills.push(user);
    }
    try {
      const updated = await sql.query(UPDATE_BATCH, [fills.map((user) => user.id), fills.map((user) => user.skeleton)]);
      return { filled: updated.length, lookAlikes };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return null;
}

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
